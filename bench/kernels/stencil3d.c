/* 3-D seven-point diffusion in a box with zero walls. args: n steps seed. Memory: 2 n^3 doubles (n=80: 7.8 MiB). */
#include "kernel.h"

#define AT(x, y, z) ((size_t)(x) * n * n + (size_t)(y) * n + (z))

int main(int argc, char **argv) {
  int n = (int)arg_or(argc, argv, 1, 80), steps = (int)arg_or(argc, argv, 2, 1440);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 5));
  double *u = calloc((size_t)n * n * n, sizeof(double)), *v = calloc((size_t)n * n * n, sizeof(double));
  for (int x = 1; x < n - 1; x++)
    for (int y = 1; y < n - 1; y++)
      for (int z = 1; z < n - 1; z++) u[AT(x, y, z)] = rng_unit();
  REPORT("stencil3d n=%d steps=%d\n", n, steps);
  for (int s = 1; s <= steps; s++) {
    for (int x = 1; x < n - 1; x++)
      for (int y = 1; y < n - 1; y++)
        for (int z = 1; z < n - 1; z++)
          v[AT(x, y, z)] = u[AT(x, y, z)] + 0.1 * (u[AT(x - 1, y, z)] + u[AT(x + 1, y, z)] + u[AT(x, y - 1, z)] +
                                                   u[AT(x, y + 1, z)] + u[AT(x, y, z - 1)] + u[AT(x, y, z + 1)] - 6 * u[AT(x, y, z)]);
    double *t = u; u = v; v = t;
    if (s % 48 == 0) {
      double sum = 0;
      for (size_t i = 0; i < (size_t)n * n * n; i++) sum += u[i];
      REPORT("step %d sum %.12e centre %.12e\n", s, sum, u[AT(n / 2, n / 2, n / 2)]);
    }
  }
  return 0;
}
