/* Traps in a function of its own after a few steps, so a test can see the trap name it. */
#include <stdio.h>

__attribute__((noinline)) void check_invariant(volatile int *value) {
  if (*value > 2) __builtin_trap();
}

int main(void) {
  volatile int n = 0;
  for (int i = 0; i < 5; i++) {
    n = i;
    printf("step %d\n", i);
    check_invariant(&n);
  }
  return 0;
}
