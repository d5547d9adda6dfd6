/*
 * working-set.c - many MiB of memory in use, of which only a small hot part changes.
 *
 * The live-migration benchmark's workload (bench/ContinuumControl.Bench.Migration).
 * Allocates MIB MiB (argv[2], default 64) and fills it with a deterministic
 * pseudo-random pattern, so no page is all zeros and nothing compresses: all of
 * it must travel with a migration.  Then runs STEPS steps (argv[1], default
 * 20000).  Each step rewrites one 64 KiB page of a small hot set (HOT pages,
 * argv[3], default 4, taken round-robin) ROUNDS times over (argv[4], default 8;
 * this sets the step's length, roughly 0.1 ms per round) and calls
 * continuum_yield().  So between a pre-copy and the final stop-and-copy only
 * the hot pages differ, as in a server that keeps a large cache and a small
 * working set.
 *
 * The cold pages come from a pseudo-random stream seeded with SEED (argv[5],
 * default 1); the hot pages do not depend on it.  Give every run its own seed
 * and no two runs share cold pages, so a content-addressed chunk store cannot
 * skip them - while the output stays the same for every seed.
 *
 * Output: the hot set's checksum every 1000 steps; at the end the hot set's
 * checksum and how many cold words differ from the seeded stream (0 unless a
 * migration lost or corrupted a page).
 *
 * argv: [steps] [MiB] [hot pages] [rounds] [seed]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "continuum.h"

#define PAGE_BYTES (64u * 1024u)
#define PAGE_WORDS (PAGE_BYTES / sizeof(uint64_t))

static uint64_t mix(uint64_t x) {
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t fnv(const uint64_t *w, size_t words, uint64_t h) {
    for (size_t i = 0; i < words; i++) h = (h ^ w[i]) * 0x100000001b3ULL;
    return h;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    long steps = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
    long mib = argc > 2 ? strtol(argv[2], NULL, 10) : 64;
    long hot = argc > 3 ? strtol(argv[3], NULL, 10) : 4;
    long rounds = argc > 4 ? strtol(argv[4], NULL, 10) : 8;
    uint64_t seed = argc > 5 ? strtoull(argv[5], NULL, 10) : 1;
    if (steps < 1) steps = 1;
    if (mib < 1) mib = 1;
    if (rounds < 1) rounds = 1;
    size_t pages = (size_t)mib * (1024u * 1024u / PAGE_BYTES);
    if (hot < 1) hot = 1;
    if ((size_t)hot > pages) hot = (long)pages;

    /* One allocation, aligned to whole pages, so "hot page" means one 64 KiB page of linear memory. */
    uint64_t *heap = aligned_alloc(PAGE_BYTES, pages * PAGE_BYTES);
    if (!heap) { printf("out of memory (%ld MiB)\n", mib); return 1; }

    uint64_t s = 0x2545f4914f6cdd1dULL;                 /* xorshift64 state: hot pages */
    for (size_t p = 0; p < (size_t)hot; p++) {
        uint64_t *w = heap + p * PAGE_WORDS;
        for (uint32_t i = 0; i < PAGE_WORDS; i++) {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            w[i] = s;
        }
    }
    uint64_t c = mix(seed ^ 0x9e3779b97f4a7c15ULL) | 1;   /* cold pages: seeded stream */
    for (size_t p = (size_t)hot; p < pages; p++) {
        uint64_t *w = heap + p * PAGE_WORDS;
        for (uint32_t i = 0; i < PAGE_WORDS; i++) {
            c ^= c << 13; c ^= c >> 7; c ^= c << 17;
            w[i] = c;
        }
        if ((p & 15) == 15) continuum_yield();
    }
    printf("working-set: %ld MiB in use (%zu pages), %ld hot pages, %ld steps\n", mib, pages, hot, steps);

    for (long step = 1; step <= steps; step++) {
        uint64_t *w = heap + (size_t)(step % hot) * PAGE_WORDS;
        for (long r = 0; r < rounds; r++)
            for (uint32_t i = 0; i < PAGE_WORDS; i++)
                w[i] = mix(w[i] + (uint64_t)step);
        if (step % 1000 == 0) printf("step %ld: hot checksum=%016llx\n", step, (unsigned long long)fnv(heap, (size_t)hot * PAGE_WORDS, 0xcbf29ce484222325ULL));
        continuum_yield();
    }
    /* Every cold word must still equal the seeded stream. */
    uint64_t differ = 0;
    c = mix(seed ^ 0x9e3779b97f4a7c15ULL) | 1;
    for (size_t p = (size_t)hot; p < pages; p++) {
        const uint64_t *w = heap + p * PAGE_WORDS;
        for (uint32_t i = 0; i < PAGE_WORDS; i++) {
            c ^= c << 13; c ^= c >> 7; c ^= c << 17;
            differ += w[i] != c;
        }
    }
    printf("done: %ld MiB, hot checksum=%016llx, cold words changed=%llu\n", mib,
           (unsigned long long)fnv(heap, (size_t)hot * PAGE_WORDS, 0xcbf29ce484222325ULL), (unsigned long long)differ);
    free(heap);
    return 0;
}
