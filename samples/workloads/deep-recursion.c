/*
 * deep-recursion.c - a deep call stack at every safe point.
 *
 * Each round recurses DEPTH levels (default 3000, argv[2]) down a chain of
 * frames.  Every frame keeps state in Wasm locals (kept across the recursive
 * call) and in a small array on the C shadow stack in linear memory (its
 * address escapes, so it cannot live in locals; this exercises __stack_pointer).
 * continuum_yield() is called every 100 levels on the way down and on the way
 * back up, and at the bottom, so a checkpoint captures up to DEPTH Wasm frames.
 * A restored run that lost any local, any shadow-stack byte or the stack
 * pointer prints a different checksum.
 *
 * argv[1]: rounds (default 24).  argv[2]: depth (default 3000).
 * Linked with a 1 MiB shadow stack (see build.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "continuum.h"

#define WORK_PER_FRAME 10000u

static uint64_t mix(uint64_t x) {
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Not inlined, and takes the array's address: buf must live in linear memory. */
__attribute__((noinline)) static void fill_frame(uint32_t *buf, uint32_t n, uint64_t seed) {
    for (uint32_t i = 0; i < n; i++) {
        seed = mix(seed + i);
        buf[i] = (uint32_t)seed;
    }
}

__attribute__((noinline)) static uint32_t sum_frame(const uint32_t *buf, uint32_t n) {
    uint32_t s = 0;
    for (uint32_t i = 0; i < n; i++) s = s * 31u + buf[i];
    return s;
}

static uint32_t deepest;

static uint64_t descend(uint32_t depth, uint32_t max, uint64_t seed) {
    uint32_t buf[8];
    fill_frame(buf, 8, seed ^ depth);

    uint64_t local = seed;
    for (uint32_t i = 0; i < WORK_PER_FRAME; i++) local = mix(local + i + depth);

    if (depth % 100 == 0) continuum_yield();          /* on the way down */

    uint64_t below;
    if (depth < max) {
        below = descend(depth + 1, max, local);
    } else {
        deepest = depth;
        continuum_yield();                            /* at the bottom: deepest stack */
        below = mix(local);
    }

    if (depth % 100 == 50) continuum_yield();         /* on the way back up */

    /* Uses values computed before the recursive call: they must have survived. */
    return mix(below ^ (local * 0x9e3779b97f4a7c15ULL) ^ sum_frame(buf, 8) ^ depth);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 24;
    long depth = argc > 2 ? strtol(argv[2], NULL, 10) : 3000;
    if (rounds < 1) rounds = 1;
    if (depth < 1) depth = 1;

    printf("deep-recursion: %ld rounds, depth %ld\n", rounds, depth);
    uint64_t total = 0;
    for (long r = 1; r <= rounds; r++) {
        uint64_t v = descend(1, (uint32_t)depth, mix((uint64_t)r));
        total = mix(total ^ v);
        printf("round %ld: depth %u reached, result=%016llx\n", r, deepest, (unsigned long long)v);
    }
    printf("done: checksum=%016llx\n", (unsigned long long)total);
    return 0;
}
