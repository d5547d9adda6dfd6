/*
 * big-heap.c - a large memory image at every safe point.
 *
 * Allocates 64 blocks of 1 MiB (64 MiB of heap, argv[2] to change the MiB
 * count), fills them with a deterministic pseudo-random pattern (so nothing is
 * an all-zero page and nothing compresses well), then runs PASSES passes
 * (default 250, argv[1]); each pass rewrites every 4th word of every block
 * and checksums the whole heap; the checksum is printed every 10 passes.
 * continuum_yield() is called after every block, i.e. 64 times per pass.
 * A checkpoint therefore holds >= 64 MiB of live, incompressible data, and
 * every pass changes every 64 KiB page, which is the worst case for
 * incremental checkpoints.
 *
 * argv[1]: passes (default 250).  argv[2]: heap MiB (default 64).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "continuum.h"

#define BLOCK_BYTES (1024u * 1024u)
#define BLOCK_WORDS (BLOCK_BYTES / sizeof(uint64_t))

static uint64_t mix(uint64_t x) {
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    long passes = argc > 1 ? strtol(argv[1], NULL, 10) : 250;
    long mib = argc > 2 ? strtol(argv[2], NULL, 10) : 64;
    if (passes < 1) passes = 1;
    if (mib < 1) mib = 1;

    uint64_t **blocks = malloc((size_t)mib * sizeof *blocks);
    if (!blocks) { printf("out of memory\n"); return 1; }

    uint64_t s = 0x2545f4914f6cdd1dULL;                 /* xorshift64 state */
    for (long b = 0; b < mib; b++) {
        blocks[b] = malloc(BLOCK_BYTES);
        if (!blocks[b]) { printf("out of memory at block %ld\n", b); return 1; }
        for (uint32_t i = 0; i < BLOCK_WORDS; i++) {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            blocks[b][i] = s;
        }
        continuum_yield();
    }
    printf("big-heap: %ld MiB allocated and filled, %ld passes\n", mib, passes);

    uint64_t total = 0;
    for (long p = 1; p <= passes; p++) {
        uint64_t h = 0xcbf29ce484222325ULL;
        for (long b = 0; b < mib; b++) {
            uint64_t *w = blocks[b];
            for (uint32_t i = (uint32_t)(p & 3); i < BLOCK_WORDS; i += 4)
                w[i] = mix(w[i] + (uint64_t)p);
            for (uint32_t i = 0; i < BLOCK_WORDS; i++)
                h = (h ^ w[i]) * 0x100000001b3ULL;
            continuum_yield();
        }
        total = mix(total ^ h);
        if (p % 10 == 0 || p == passes) printf("pass %ld: heap checksum=%016llx\n", p, (unsigned long long)h);
    }
    printf("done: %ld MiB, checksum=%016llx\n", mib, (unsigned long long)total);

    for (long b = 0; b < mib; b++) free(blocks[b]);
    free(blocks);
    return 0;
}
