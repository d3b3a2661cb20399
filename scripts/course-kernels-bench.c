// Standalone timing of botify's bv_tile_scores and bv_widen_halves at course size (16,198 x 4096),
// in wall and CPU seconds (CPU seconds stay meaningful on a shared machine). Build and run:
//   K=Sources/CVectorKernels; clang -O2 -I$K/include -I$K scripts/course-kernels-bench.c $K/*.c -lpthread -lm -o /tmp/kb
//   /tmp/kb THREADS GROUPS_PER_THREAD        (each group is 96 queries against every track)
//   BOTIFY_SIMD=generic /tmp/kb 2 1          (the portable kernels)
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
#include <pthread.h>
#include "TileScores.h"
#include "HalfConversion.h"
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
enum { N = 16198, D = 4096, CHUNK = 32, G = 96 };
static float *tiled, *vectors; static size_t tiles; static int groups_per_thread;
static void *work(void *arg) {
    long id = (long)arg; bv_tile_scores_fn k = bv_tile_scores_best();
    float *out = malloc(sizeof(float) * G * CHUNK * 8); const float *q[G];
    for (int g = 0; g < groups_per_thread; g++) {
        for (int i = 0; i < G; i++) q[i] = vectors + (size_t)((id * 7919 + g * G + i) % N) * D;
        for (size_t c = 0; c < tiles; c += CHUNK) k(tiled, D, c, c + CHUNK, q, G, out, CHUNK * 8);
    }
    return out;
}
int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2; groups_per_thread = argc > 2 ? atoi(argv[2]) : 2;
    tiles = (N + 7) / 8; tiles = (tiles + CHUNK - 1) / CHUNK * CHUNK;
    vectors = malloc(sizeof(float) * N * D); tiled = calloc(tiles * D * 8, sizeof(float));
    uint16_t *halves = malloc(2 * (size_t)N * D);
    srand(1); for (size_t i = 0; i < (size_t)N * D; i++) halves[i] = (uint16_t)(rand() % 0x3C00) | (rand() & 1) << 15;
    for (size_t i = 0; i < (size_t)N * D; i++) vectors[i] = 0;
    double c0 = cpu(); double t0 = now(); size_t ok = bv_widen_halves(halves, vectors, (size_t)N * D); double t1 = now(), c1 = cpu();
    printf("widen %zu halves (%s): %.3f s wall, %.3f s CPU\n", ok, bv_widen_halves_is_vector() ? "F16C" : "generic", t1 - t0, c1 - c0);
    c0 = cpu(); t0 = now(); bv_widen_halves_generic(halves, vectors, (size_t)N * D); t1 = now(); c1 = cpu();
    printf("widen generic: %.3f s wall, %.3f s CPU\n", t1 - t0, c1 - c0);
    for (size_t t = 0; t < N; t++) for (size_t k = 0; k < D; k++) tiled[(t / 8 * D + k) * 8 + t % 8] = vectors[t * D + k];
    pthread_t th[8]; c0 = cpu(); t0 = now();
    for (long i = 0; i < threads; i++) pthread_create(&th[i], 0, work, (void *)i);
    for (int i = 0; i < threads; i++) pthread_join(th[i], 0);
    t1 = now(); c1 = cpu();
    double queries = (double)threads * groups_per_thread * G, madds = queries * tiles * 8 * D;
    printf("%d threads, %.0f queries x %zu tracks x %d: %.2f s wall, %.2f s CPU, %.1f G mul-adds per CPU second; 14,308 queries: %.1f CPU s (%.1f s on 2 idle cores)\n",
           threads, queries, tiles * 8, D, t1 - t0, c1 - c0, madds / (c1 - c0) / 1e9, (c1 - c0) * 14308 / queries, (c1 - c0) * 14308 / queries / 2);
    return 0;
}
