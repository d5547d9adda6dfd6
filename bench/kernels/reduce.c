/* Reductions over a large array: sum, sum of squares, min, max and a 64-bit hash, in one call-free pass per round.
 * args: elements rounds seed. Memory: elements doubles (1.5M: 12 MiB). */
#include "kernel.h"

int main(int argc, char **argv) {
  int count = (int)arg_or(argc, argv, 1, 1500000), rounds = (int)arg_or(argc, argv, 2, 240);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 9));
  double *x = malloc(sizeof(double) * count);
  for (int i = 0; i < count; i++) x[i] = rng_unit() * 2 - 1;
  REPORT("reduce elements=%d rounds=%d\n", count, rounds);
  for (int r = 1; r <= rounds; r++) {
    double sum = 0, sq = 0, lo = 1e300, hi = -1e300;
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < count; i++) {
      double v = x[i];
      sum += v; sq += v * v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      h = (h ^ (uint64_t)(int64_t)(v * 1e6)) * 1099511628211ull;
      x[i] = v * 0.999 + 0.001 * (double)(r & 7);
    }
    if (r % 10 == 0) REPORT("round %d sum %.12e sq %.12e min %.9f max %.9f hash %016llx\n", r, sum, sq, lo, hi, (unsigned long long)h);
  }
  return 0;
}
