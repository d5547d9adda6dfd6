/* Levenshtein distance between pairs of long random strings over a small alphabet, two DP rows.
 * The inner loop (one row, len cells) has no call. args: len pairs seed. */
#include "kernel.h"

int main(int argc, char **argv) {
  int len = (int)arg_or(argc, argv, 1, 8000), pairs = (int)arg_or(argc, argv, 2, 6);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 6));
  char *a = malloc(len), *b = malloc(len);
  int *prev = malloc(sizeof(int) * (len + 1)), *cur = malloc(sizeof(int) * (len + 1));
  REPORT("editdist len=%d pairs=%d\n", len, pairs);
  for (int p = 0; p < pairs; p++) {
    for (int i = 0; i < len; i++) a[i] = "ACGT"[rng_next() % 4];
    for (int i = 0; i < len; i++) b[i] = rng_next() % 5 == 0 ? "ACGT"[rng_next() % 4] : a[i];
    for (int j = 0; j <= len; j++) prev[j] = j;
    for (int i = 1; i <= len; i++) {
      cur[0] = i;
      char ai = a[i - 1];
      for (int j = 1; j <= len; j++) {
        int best = prev[j - 1] + (ai != b[j - 1]);
        int del = prev[j] + 1, ins = cur[j - 1] + 1;
        if (del < best) best = del;
        if (ins < best) best = ins;
        cur[j] = best;
      }
      int *t = prev; prev = cur; cur = t;
    }
    REPORT("pair %d distance %d\n", p, prev[len]);
  }
  return 0;
}
