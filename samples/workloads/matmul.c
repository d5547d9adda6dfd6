/*
 * matmul.c - dense matrix multiply, a tight compute kernel (no yields).
 *
 * Multiplies two N x N (N = 384) double matrices REPS times (default 100,
 * argv[1]); after each product the result, rescaled, becomes the next left
 * operand, so every repetition depends on the previous one.  Prints a
 * checksum every 10 repetitions.  Never calls continuum_yield(): it is used
 * to measure the cost of automatic safe points on an inner-loop-heavy kernel.
 */
#include <stdio.h>
#include <stdlib.h>

#define N 384

static double a[N][N], b[N][N], c[N][N];

static double checksum(double m[N][N]) {
    double s = 0.0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            s += m[i][j] * (double)((i * 7 + j * 13) % 17 + 1);
    return s;
}

static void multiply(void) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) c[i][j] = 0.0;
        for (int k = 0; k < N; k++) {
            double aik = a[i][k];
            for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
        }
    }
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    long reps = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
    if (reps < 1) reps = 1;

    unsigned s = 12345u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s = s * 1103515245u + 12345u; a[i][j] = (double)((s >> 16) & 1023) / 1024.0;
            s = s * 1103515245u + 12345u; b[i][j] = (double)((s >> 16) & 1023) / 1024.0 - 0.5;
        }

    printf("matmul: %dx%d doubles, %ld repetitions\n", N, N, reps);
    double total = 0.0;
    for (long r = 1; r <= reps; r++) {
        multiply();
        double cs = checksum(c);
        /* Rescale into a so values stay bounded and the next product depends on this one. */
        double maxabs = 1e-300;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double v = c[i][j] < 0 ? -c[i][j] : c[i][j];
                if (v > maxabs) maxabs = v;
            }
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) a[i][j] = c[i][j] / maxabs;
        total += cs;
        if (r % 10 == 0 || r == reps) printf("rep %ld: checksum=%.10e\n", r, cs);
    }
    printf("done: total=%.10e\n", total);
    return 0;
}
