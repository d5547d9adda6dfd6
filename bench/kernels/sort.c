/* Sorting: a non-recursive bottom-up merge sort and an in-place heap sort of the same random keys, compared.
 * args: elements rounds seed. Memory: 3 * elements uint32 (1M: 12 MiB). */
#include <string.h>
#include "kernel.h"

static void merge_sort(uint32_t *a, uint32_t *tmp, int n) {
  for (int width = 1; width < n; width *= 2) {
    for (int lo = 0; lo < n; lo += 2 * width) {
      int mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    memcpy(a, tmp, sizeof(uint32_t) * n);
  }
}

static void heap_sort(uint32_t *a, int n) {
  for (int start = n / 2 - 1, end = n; end > 1;) {
    int root;
    if (start >= 0) root = start--;
    else { uint32_t t = a[0]; a[0] = a[--end]; a[end] = t; root = 0; }
    for (int child; (child = 2 * root + 1) < end; root = child) {
      if (child + 1 < end && a[child + 1] > a[child]) child++;
      if (a[root] >= a[child]) break;
      uint32_t t = a[root]; a[root] = a[child]; a[child] = t;
    }
  }
}

int main(int argc, char **argv) {
  int n = (int)arg_or(argc, argv, 1, 1000000), rounds = (int)arg_or(argc, argv, 2, 4);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 10));
  uint32_t *a = malloc(4u * n), *b = malloc(4u * n), *tmp = malloc(4u * n);
  REPORT("sort elements=%d rounds=%d\n", n, rounds);
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < n; i++) a[i] = b[i] = (uint32_t)rng_next();
    merge_sort(a, tmp, n);
    heap_sort(b, n);
    uint64_t h = 0;
    int same = memcmp(a, b, 4u * n) == 0;
    for (int i = 0; i < n; i += 997) h = h * 31 + a[i];
    REPORT("round %d same %d min %u median %u max %u hash %016llx\n", r, same, a[0], a[n / 2], a[n - 1], (unsigned long long)h);
  }
  return 0;
}
