/*
 * never-yields.c - an unmodified compute program: it does not include
 * continuum.h and never calls continuum_yield().
 *
 * Phase 1: dense matrix multiply (300 x 300 doubles, chained products).
 * Phase 2: 2-D five-point Jacobi stencil (768 x 768 grid).
 * argv[1] scales both phases (default 24: 48 products, 2400 sweeps).
 *
 * It is migratable only through the automatic safe points the runtime inserts
 * at admission (a flag check at loop headers and function entries): a
 * checkpoint requested while it runs must still stop it within bounded time
 * and it must finish with the same output after a restore.
 */
#include <stdio.h>
#include <stdlib.h>

#define M 300
#define G 768

static double a[M][M], b[M][M], c[M][M];
static double g0[G][G], g1[G][G];

static double mat_checksum(void) {
    double s = 0.0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) s += c[i][j] * (double)((i * 7 + j * 13) % 17 + 1);
    return s;
}

static void multiply(void) {
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < M; j++) c[i][j] = 0.0;
        for (int k = 0; k < M; k++) {
            double aik = a[i][k];
            for (int j = 0; j < M; j++) c[i][j] += aik * b[k][j];
        }
    }
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 24;
    if (scale < 1) scale = 1;
    printf("never-yields: scale %ld\n", scale);

    /* Phase 1: matrix multiply. */
    unsigned s = 777u;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            s = s * 1103515245u + 12345u; a[i][j] = (double)((s >> 16) & 1023) / 1024.0;
            s = s * 1103515245u + 12345u; b[i][j] = (double)((s >> 16) & 1023) / 1024.0 - 0.5;
        }
    double mtotal = 0.0;
    long reps = 2 * scale;
    for (long r = 1; r <= reps; r++) {
        multiply();
        double cs = mat_checksum(), maxabs = 1e-300;
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++) {
                double v = c[i][j] < 0 ? -c[i][j] : c[i][j];
                if (v > maxabs) maxabs = v;
            }
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++) a[i][j] = c[i][j] / maxabs;
        mtotal += cs;
        if (r % 8 == 0 || r == reps) printf("matmul rep %ld of %ld: checksum=%.10e\n", r, reps, cs);
    }

    /* Phase 2: stencil. */
    for (int i = 0; i < G; i++)
        for (int j = 0; j < G; j++) {
            double v = 0.0;
            if (i == 0) v = 100.0;
            else if (j == 0) v = 50.0 * (double)i / G;
            else if (((i * 31 + j * 17) % 97) == 0) v = 25.0;
            g0[i][j] = g1[i][j] = v;
        }
    double (*src)[G] = g0, (*dst)[G] = g1;
    long sweeps = 100 * scale;
    for (long t = 1; t <= sweeps; t++) {
        for (int i = 1; i < G - 1; i++)
            for (int j = 1; j < G - 1; j++)
                dst[i][j] = 0.2 * (src[i][j] + src[i - 1][j] + src[i + 1][j] + src[i][j - 1] + src[i][j + 1]);
        double (*tmp)[G] = src; src = dst; dst = tmp;
        if (t % 400 == 0 || t == sweeps) {
            double cs = 0.0;
            for (int i = 0; i < G; i++)
                for (int j = 0; j < G; j++) cs += src[i][j] * (double)(1 + ((i ^ j) & 7));
            printf("stencil sweep %ld of %ld: checksum=%.10e\n", t, sweeps, cs);
        }
    }
    printf("done: matmul=%.10e stencil-center=%.10e\n", mtotal, src[G / 2][G / 2]);
    return 0;
}
