/* One call-free loop that runs for seconds: a xorshift walk over a small table, checked only at the end.
 * The kind of loop a workload can sit in when a migration is requested. args: iterations(millions) seed. */
#include "kernel.h"

int main(int argc, char **argv) {
  long millions = arg_or(argc, argv, 1, 900);
  rng_seed((uint64_t)arg_or(argc, argv, 2, 11));
  static uint32_t table[4096];
  for (int i = 0; i < 4096; i++) table[i] = (uint32_t)rng_next();
  REPORT("spin iterations=%ldM\n", millions);
  uint64_t x = rng_next(), acc = 0;
  for (long i = 0; i < millions * 1000000L; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    acc += table[x & 4095] ^ (uint32_t)i;
    table[(x >> 20) & 4095] += (uint32_t)acc;
  }
  REPORT("acc %016llx x %016llx t0 %08x\n", (unsigned long long)acc, (unsigned long long)x, table[0]);
  return 0;
}
