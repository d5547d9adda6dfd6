/*
 * stencil.c - 2-D five-point Jacobi stencil (heat diffusion), a tight compute
 * kernel (no yields).
 *
 * A 1024 x 1024 grid of doubles with fixed hot and cold boundaries is relaxed
 * for STEPS sweeps (default 2000, argv[1]); a checksum is printed every 200
 * sweeps.  Never calls continuum_yield(): used to measure automatic safe points.
 */
#include <stdio.h>
#include <stdlib.h>

#define N 1024

static double g0[N][N], g1[N][N];

static double checksum(double g[N][N]) {
    double s = 0.0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) s += g[i][j] * (double)(1 + ((i ^ j) & 7));
    return s;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    long steps = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
    if (steps < 1) steps = 1;

    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double v = 0.0;
            if (i == 0) v = 100.0;                        /* hot top edge */
            else if (j == 0) v = 50.0 * (double)i / N;    /* warm left ramp */
            else if (((i * 31 + j * 17) % 97) == 0) v = 25.0;  /* scattered sources */
            g0[i][j] = g1[i][j] = v;
        }

    printf("stencil: %dx%d grid, %ld sweeps\n", N, N, steps);
    double (*src)[N] = g0, (*dst)[N] = g1;
    for (long t = 1; t <= steps; t++) {
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                dst[i][j] = 0.2 * (src[i][j] + src[i - 1][j] + src[i + 1][j] + src[i][j - 1] + src[i][j + 1]);
        double (*tmp)[N] = src; src = dst; dst = tmp;
        if (t % 200 == 0 || t == steps)
            printf("sweep %ld: checksum=%.10e\n", t, checksum(src));
    }
    printf("done: center=%.10e checksum=%.10e\n", src[N / 2][N / 2], checksum(src));
    return 0;
}
