/* Cholesky factorization A = L L^T of a symmetric positive definite matrix built as B B^T + n I.
 * args: n reps seed. Memory: 2 n*n doubles. */
#include <math.h>
#include "kernel.h"

int main(int argc, char **argv) {
  int n = (int)arg_or(argc, argv, 1, 360), reps = (int)arg_or(argc, argv, 2, 32);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 2));
  double *b = malloc(sizeof(double) * n * n), *a = malloc(sizeof(double) * n * n);
  REPORT("cholesky n=%d reps=%d\n", n, reps);
  for (int r = 0; r < reps; r++) {
    for (int i = 0; i < n * n; i++) b[i] = rng_unit() - 0.5;
    for (int i = 0; i < n; i++)
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
        a[i * n + j] = a[j * n + i] = s + (i == j ? n : 0);
      }
    for (int j = 0; j < n; j++) {
      double d = a[j * n + j];
      for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
      d = sqrt(d);
      a[j * n + j] = d;
      for (int i = j + 1; i < n; i++) {
        double s = a[i * n + j];
        for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
        a[i * n + j] = s / d;
      }
    }
    double diag = 0;
    for (int i = 0; i < n; i++) diag += a[i * n + i];
    REPORT("rep %d sum(diag L) %.9e L[n-1][n-2] %.9e\n", r, diag, a[(n - 1) * n + n - 2]);
  }
  return 0;
}
