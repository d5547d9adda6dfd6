/*
 * flood.c - a program that mostly writes output, for the output benchmark and tests.
 *
 *   flood WRITES SIZE STREAM
 *
 * Makes WRITES unbuffered writes (one fd_write each) to STREAM (stdout or stderr).
 * SIZE is the bytes per write; 0 means mixed sizes from 1 to 100 bytes.  Between
 * writes it does a little arithmetic, like a kernel dumping a result matrix with
 * fprintf(stderr, ...).  The bytes depend only on the arguments, so two runs (or a
 * run migrated mid-way) must write identical streams.  Ends with a checksum line
 * on stdout.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    long writes = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    long size = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
    FILE *out = argc > 3 && strcmp(argv[3], "stdout") == 0 ? stdout : stderr;
    setvbuf(stdout, NULL, _IONBF, 0);
    static char buffer[1 << 20];
    if (size < 0 || size > (long)sizeof buffer) size = 0;
    uint64_t sum = 1469598103934665603ULL;
    long total = 0;
    for (long i = 0; i < writes; i++) {
        long n = size ? size : 1 + (i * 37) % 100;
        for (long k = 0; k < n; k++) {
            char c = (char)('a' + (i + k) % 26);
            buffer[k] = c;
            sum = (sum ^ (uint8_t)c) * 1099511628211ULL;
        }
        if (n > 1) buffer[n - 1] = '\n';
        fwrite(buffer, 1, (size_t)n, out);
        total += n;
    }
    printf("flood: %ld writes, %ld bytes, fnv=%016llx\n", writes, total, (unsigned long long)sum);
    return 0;
}
