/* Shared bits of the downtime benchmark's compute kernels: a seeded generator and argument parsing.
 * Every kernel is deterministic for its arguments: the same output bytes on every run, migrated or not. */
#ifndef KERNEL_H
#define KERNEL_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static inline void rng_seed(uint64_t seed) { rng_state = seed * 0x9E3779B97F4A7C15ull + 1; }

/* xorshift64*: small, fast and the same on every platform. */
static inline uint64_t rng_next(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static inline double rng_unit(void) { return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0); }

static inline long arg_or(int argc, char **argv, int i, long fallback) {
  return argc > i ? strtol(argv[i], NULL, 10) : fallback;
}

/* Print and flush: each line is the kernel's progress, so output flows while it runs. */
#define REPORT(...) do { printf(__VA_ARGS__); fflush(stdout); } while (0)
#endif
