/* 2-D five-point Jacobi relaxation with a fixed hot edge. args: n steps seed. Memory: 2 n*n doubles (n=700: 7.5 MiB). */
#include "kernel.h"

int main(int argc, char **argv) {
  int n = (int)arg_or(argc, argv, 1, 640), steps = (int)arg_or(argc, argv, 2, 2880);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 4));
  double *u = calloc((size_t)n * n, sizeof(double)), *v = calloc((size_t)n * n, sizeof(double));
  for (int i = 0; i < n * n; i++) u[i] = v[i] = rng_unit() * 0.1;
  for (int j = 0; j < n; j++) u[j] = v[j] = 1.0;
  REPORT("stencil2d n=%d steps=%d\n", n, steps);
  for (int s = 1; s <= steps; s++) {
    for (int i = 1; i < n - 1; i++)
      for (int j = 1; j < n - 1; j++)
        v[i * n + j] = 0.25 * (u[(i - 1) * n + j] + u[(i + 1) * n + j] + u[i * n + j - 1] + u[i * n + j + 1]);
    double *t = u; u = v; v = t;
    if (s % 96 == 0) {
      double sum = 0;
      for (int i = 0; i < n * n; i++) sum += u[i];
      REPORT("step %d sum %.12e centre %.12e\n", s, sum, u[(n / 2) * n + n / 2]);
    }
  }
  return 0;
}
