// The machine's single-precision FMA peak, measured: each thread runs independent chains of
// AVX2 (8-wide) fused multiply-adds from registers only, no memory traffic, so the figure is
// the ceiling that the iALS kernel's achieved GFLOP/s is set against in
// scripts/compare-references (one FMA = 2 flops per lane).
//
//   cc -O2 -mavx2 -mfma -pthread -o /tmp/fma-peak Benchmarks/tools/fma-peak.c
//   /tmp/fma-peak [threads] [seconds]       # default: 1 thread, then every online core
//
// Prints one line per thread count: `fma-peak threads N gflops X` (the fastest of 5 timed
// rounds; wall time, since every thread must run at once for the multi-core figure), then
// `fma-peak avx512 threads N gflops X` on CPUs with AVX-512.
// Twelve chains per thread: more than FMA latency × FMA ports on current x86 cores (4 × 2 on
// Zen 4, 4 × 2 on Skylake-class Intel), so the chains never wait on each other.
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define CHAINS 12
#define INNER 1000000L

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

struct job { long rounds; float sink; pthread_barrier_t *start; };

// The twelve accumulators are named variables, not an array, so the compiler keeps every one
// in a register at any optimisation level (an array loop at -O2 went through memory).
#define FMA12(op) op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11)
#define DECLARE(i) __m256 acc##i = _mm256_set1_ps(1.0f + (i) * 1e-3f);
#define STEP(i) acc##i = _mm256_fmadd_ps(acc##i, a, b);
#define FOLD(i) s += _mm256_cvtss_f32(acc##i);

__attribute__((target("avx2,fma"))) static void *run(void *arg) {
    struct job *job = arg;
    FMA12(DECLARE)
    // x <- x*a + b with a just below 1 and b small: the values stay finite and normal forever.
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    pthread_barrier_wait(job->start);
    for (long r = 0; r < job->rounds; r++)
        for (long n = 0; n < INNER; n++) {
            FMA12(STEP)
        }
    float s = 0;
    FMA12(FOLD)
    job->sink = s;
    return NULL;
}

// The same with 16-wide AVX-512 FMAs, where the CPU has them: botify's kernels are AVX2, some
// peers' (faiss, usearch, hnswlib built with -march=native) are AVX-512, and this says whether
// the wider registers buy more FMA throughput here (on Zen 4 they are split in two 256-bit
// halves, so they should not).
#define DECLARE512(i) __m512 acc##i = _mm512_set1_ps(1.0f + (i) * 1e-3f);
#define STEP512(i) acc##i = _mm512_fmadd_ps(acc##i, a, b);
#define FOLD512(i) s += _mm512_reduce_add_ps(acc##i);

__attribute__((target("avx512f"))) static void *run512(void *arg) {
    struct job *job = arg;
    FMA12(DECLARE512)
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    pthread_barrier_wait(job->start);
    for (long r = 0; r < job->rounds; r++)
        for (long n = 0; n < INNER / 2; n++) {  // half the FMAs at twice the width: the same flops
            FMA12(STEP512)
        }
    float s = 0;
    FMA12(FOLD512)
    job->sink = s;
    return NULL;
}

// GFLOP/s of `threads` threads each doing `rounds` × INNER × CHAINS 8-wide FMAs.
static double measure(int threads, long rounds, void *(*body)(void *)) {
    pthread_t tid[64];
    struct job jobs[64];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, threads + 1);
    for (int t = 0; t < threads; t++) {
        jobs[t] = (struct job){rounds, 0, &start};
        pthread_create(&tid[t], NULL, body, &jobs[t]);
    }
    pthread_barrier_wait(&start);
    double t0 = now();
    for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
    double seconds = now() - t0;
    pthread_barrier_destroy(&start);
    float sink = 0;
    for (int t = 0; t < threads; t++) sink += jobs[t].sink;
    if (sink != sink) fprintf(stderr, "fma-peak: NaN\n");
    return (double)threads * rounds * INNER * CHAINS * 8 * 2 / seconds * 1e-9;
}

int main(int argc, char **argv) {
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
        fprintf(stderr, "fma-peak: this CPU has no AVX2/FMA\n");
        return 2;
    }
    int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1) cores = 1;
    if (cores > 64) cores = 64;
    double seconds = argc > 2 ? atof(argv[2]) : 0.5;
    // Rounds for about `seconds` per timed round, from a short calibration on one thread.
    double rate = measure(1, 20, run);
    long rounds = (long)(seconds * rate * 1e9 / (INNER * CHAINS * 16.0));
    if (rounds < 1) rounds = 1;
    int counts[2] = {1, cores}, n = cores > 1 ? 2 : 1;
    if (argc > 1) {
        counts[0] = atoi(argv[1]);
        if (counts[0] < 1 || counts[0] > 64) {
            fprintf(stderr, "fma-peak: threads must be 1 to 64, not %s\n", argv[1]);
            return 2;
        }
        n = 1;
    }
    const int wide = __builtin_cpu_supports("avx512f") != 0;
    for (int w = 0; w < 1 + wide; w++)
        for (int c = 0; c < n; c++) {
            double best = 0;
            for (int round = 0; round < 5; round++) {
                double g = measure(counts[c], rounds, w ? run512 : run);
                if (g > best) best = g;
            }
            printf("fma-peak %sthreads %d gflops %.2f\n", w ? "avx512 " : "", counts[c], best);
        }
    return 0;
}
