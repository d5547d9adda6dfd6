/* 1-D three-point heat stencil over a long rod with fixed ends: the inner loop runs the whole rod without a call.
 * args: cells steps seed. Memory: 2 cells doubles (1M cells: 16 MiB). */
#include "kernel.h"

int main(int argc, char **argv) {
  int cells = (int)arg_or(argc, argv, 1, 800000), steps = (int)arg_or(argc, argv, 2, 3000);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 3));
  double *u = malloc(sizeof(double) * cells), *v = malloc(sizeof(double) * cells);
  for (int i = 0; i < cells; i++) u[i] = rng_unit();
  v[0] = u[0]; v[cells - 1] = u[cells - 1];
  REPORT("stencil1d cells=%d steps=%d\n", cells, steps);
  for (int s = 1; s <= steps; s++) {
    for (int i = 1; i < cells - 1; i++) v[i] = u[i] + 0.25 * (u[i - 1] - 2 * u[i] + u[i + 1]);
    double *t = u; u = v; v = t;
    if (s % 100 == 0) {
      double sum = 0;
      for (int i = 0; i < cells; i++) sum += u[i];
      REPORT("step %d sum %.12e mid %.12e\n", s, sum, u[cells / 2]);
    }
  }
  return 0;
}
