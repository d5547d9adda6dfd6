/*
 * apsp.c - all-pairs shortest paths (Floyd-Warshall), a tight compute kernel
 * (no yields).
 *
 * GRAPHS (default 10, argv[1]) pseudo-random directed graphs of 640 vertices
 * with integer weights; prints the sum of all finite distances of each graph.
 * Never calls continuum_yield(): used to measure automatic safe points.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 640
#define INF 0x3fffffff

static int32_t d[N][N];

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    long graphs = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    if (graphs < 1) graphs = 1;

    printf("apsp: %d vertices, %ld graphs\n", N, graphs);
    uint32_t s = 0x9e3779b9u;
    uint64_t total = 0;
    for (long g = 1; g <= graphs; g++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                s ^= s << 13; s ^= s >> 17; s ^= s << 5;
                d[i][j] = i == j ? 0 : ((s & 7) == 0 ? (int32_t)(s >> 20) % 1000 + 1 : INF);
            }
        for (int k = 0; k < N; k++) {
            for (int i = 0; i < N; i++) {
                int32_t dik = d[i][k];
                if (dik == INF) continue;
                for (int j = 0; j < N; j++) {
                    int32_t via = dik + d[k][j];
                    if (via < d[i][j]) d[i][j] = via;
                }
            }
            if ((k + 1) % 320 == 0)
                printf("graph %ld: %d of %d pivots done\n", g, k + 1, N);
        }
        uint64_t sum = 0, unreachable = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                if (d[i][j] >= INF) unreachable++;
                else sum += (uint64_t)d[i][j];
            }
        total += sum;
        printf("graph %ld: distance sum=%llu unreachable=%llu\n", g, (unsigned long long)sum, (unsigned long long)unreachable);
    }
    printf("done: total=%llu\n", (unsigned long long)total);
    return 0;
}
