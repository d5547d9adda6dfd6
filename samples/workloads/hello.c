/*
 * hello.c - the quick-start workload.
 *
 * Prints N numbered lines (default 30, or argv[1]), doing ~0.1 s of integer
 * hashing between lines and calling continuum_yield() after each line, so a
 * test can migrate it mid-run and check that the numbering and the running
 * value continue exactly where they left off.  Deterministic output.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "continuum.h"

#define ROUNDS_PER_LINE 30000000u

static uint64_t mix(uint64_t x) {
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);  /* one write per line: output streams */
    long lines = argc > 1 ? strtol(argv[1], NULL, 10) : 30;
    if (lines < 1) lines = 1;

    uint64_t value = 0x0123456789abcdefULL;
    printf("hello from ContinuumControl: %ld lines\n", lines);
    for (long line = 1; line <= lines; line++) {
        for (uint32_t r = 0; r < ROUNDS_PER_LINE; r++)
            value = mix(value + r);
        printf("line %ld of %ld: value=%016llx\n", line, lines, (unsigned long long)value);
        continuum_yield();
    }
    printf("done: %ld lines, final=%016llx\n", lines, (unsigned long long)value);
    return 0;
}
