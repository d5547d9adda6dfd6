/* LU factorization (Doolittle, no pivoting, diagonally dominant input), repeated on fresh matrices.
 * args: n reps seed. Memory: n*n doubles (n=600: 2.7 MiB). */
#include "kernel.h"

int main(int argc, char **argv) {
  int n = (int)arg_or(argc, argv, 1, 420), reps = (int)arg_or(argc, argv, 2, 60);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 1));
  double *a = malloc(sizeof(double) * n * n);
  REPORT("lu n=%d reps=%d\n", n, reps);
  for (int r = 0; r < reps; r++) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) a[i * n + j] = rng_unit();
      a[i * n + i] += n;
    }
    for (int k = 0; k < n; k++) {
      double pivot = a[k * n + k];
      for (int i = k + 1; i < n; i++) {
        double f = a[i * n + k] / pivot;
        a[i * n + k] = f;
        double *row = a + i * n, *prow = a + k * n;
        for (int j = k + 1; j < n; j++) row[j] -= f * prow[j];
      }
    }
    double logdet = 0, trace = 0;
    for (int i = 0; i < n; i++) { trace += a[i * n + i]; logdet += a[i * n + i] > 0 ? 1 : -1; }
    REPORT("rep %d trace(U) %.9e sign %.0f l[n-1][0] %.9e\n", r, trace, logdet, a[(n - 1) * n]);
  }
  return 0;
}
