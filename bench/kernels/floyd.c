/* All-pairs shortest paths (Floyd-Warshall) on a random weighted digraph, int weights.
 * args: n seed. Memory: n*n ints (n=900: 3.1 MiB). */
#include "kernel.h"

int main(int argc, char **argv) {
  int n = (int)arg_or(argc, argv, 1, 700);
  rng_seed((uint64_t)arg_or(argc, argv, 2, 12));
  const int inf = 1 << 29;
  int *d = malloc(sizeof(int) * n * n);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) d[i * n + j] = i == j ? 0 : (rng_next() % 8 == 0 ? 1 + (int)(rng_next() % 100) : inf);
  REPORT("floyd n=%d\n", n);
  for (int k = 0; k < n; k++) {
    int *dk = d + k * n;
    for (int i = 0; i < n; i++) {
      int dik = d[i * n + k];
      if (dik == inf) continue;
      int *di = d + i * n;
      for (int j = 0; j < n; j++) if (dik + dk[j] < di[j]) di[j] = dik + dk[j];
    }
    if ((k + 1) % 70 == 0) {
      long sum = 0;
      for (int i = 0; i < n * n; i++) sum += d[i] < inf ? d[i] : 0;
      REPORT("k %d sum %ld\n", k + 1, sum);
    }
  }
  return 0;
}
