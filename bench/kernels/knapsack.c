/* 0/1 knapsack by dynamic programming over capacity: one long call-free inner loop per item.
 * args: capacity items seed. Memory: capacity ints (2M: 8 MiB). */
#include "kernel.h"

int main(int argc, char **argv) {
  int cap = (int)arg_or(argc, argv, 1, 2000000), items = (int)arg_or(argc, argv, 2, 400);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 7));
  int *best = calloc((size_t)cap + 1, sizeof(int));
  REPORT("knapsack capacity=%d items=%d\n", cap, items);
  for (int it = 0; it < items; it++) {
    int w = 1000 + (int)(rng_next() % 40000), v = 1 + (int)(rng_next() % 1000);
    for (int c = cap; c >= w; c--) {
      int with = best[c - w] + v;
      if (with > best[c]) best[c] = with;
    }
    if ((it + 1) % 20 == 0) REPORT("items %d best %d at half %d\n", it + 1, best[cap], best[cap / 2]);
  }
  return 0;
}
