/* Longest common subsequence, full table (one byte per cell, saturating direction marks) plus a traceback.
 * args: len pairs seed. Memory: len*len bytes (len=3000: 8.6 MiB). */
#include <string.h>
#include "kernel.h"

int main(int argc, char **argv) {
  int len = (int)arg_or(argc, argv, 1, 3000), pairs = (int)arg_or(argc, argv, 2, 32);
  rng_seed((uint64_t)arg_or(argc, argv, 3, 8));
  char *a = malloc(len), *b = malloc(len);
  unsigned char *dir = malloc((size_t)len * len);
  int *prev = malloc(sizeof(int) * (len + 1)), *cur = malloc(sizeof(int) * (len + 1));
  REPORT("lcs len=%d pairs=%d\n", len, pairs);
  for (int p = 0; p < pairs; p++) {
    for (int i = 0; i < len; i++) { a[i] = 'a' + rng_next() % 8; b[i] = 'a' + rng_next() % 8; }
    memset(prev, 0, sizeof(int) * (len + 1));
    for (int i = 1; i <= len; i++) {
      cur[0] = 0;
      for (int j = 1; j <= len; j++) {
        unsigned char d;
        int x;
        if (a[i - 1] == b[j - 1]) { x = prev[j - 1] + 1; d = 0; }
        else if (prev[j] >= cur[j - 1]) { x = prev[j]; d = 1; }
        else { x = cur[j - 1]; d = 2; }
        cur[j] = x;
        dir[(size_t)(i - 1) * len + (j - 1)] = d;
      }
      int *t = prev; prev = cur; cur = t;
    }
    unsigned hash = 2166136261u;
    for (int i = len, j = len; i > 0 && j > 0;) {
      unsigned char d = dir[(size_t)(i - 1) * len + (j - 1)];
      if (d == 0) { hash = (hash ^ (unsigned char)a[i - 1]) * 16777619u; i--; j--; }
      else if (d == 1) i--;
      else j--;
    }
    REPORT("pair %d lcs %d hash %08x\n", p, prev[len], hash);
  }
  return 0;
}
