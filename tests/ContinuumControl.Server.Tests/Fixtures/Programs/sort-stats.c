/* An ordinary C program: malloc, qsort, libm and printf of floats. Prints statistics of a pseudo-random sample. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20000;
  double *v = malloc(sizeof *v * (size_t)n);
  unsigned long long s = 12345;
  for (int i = 0; i < n; i++) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    v[i] = sin((double)(s >> 11) / 9007199254740992.0 * 6.283185307179586) * 100.0;
  }
  qsort(v, (size_t)n, sizeof *v, compare);
  double sum = 0, sq = 0;
  for (int i = 0; i < n; i++) { sum += v[i]; sq += v[i] * v[i]; }
  double mean = sum / n;
  char label[32];
  strcpy(label, "sample");
  printf("%s n=%d min=%.4f median=%.4f max=%.4f\n", label, n, v[0], v[n / 2], v[n - 1]);
  printf("mean=%.6f stddev=%.6f cbrt(max)=%.6f\n", mean, sqrt(sq / n - mean * mean), cbrt(v[n - 1]));
  for (int q = 1; q < 10; q++) printf("decile %d: %8.3f\n", q, v[(long)n * q / 10]);
  free(v);
  return 0;
}
