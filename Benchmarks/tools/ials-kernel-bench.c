// Times CVectorKernels' iALS row solver and Gram product on one thread, in CPU seconds, on the
// matrix `BotifyCompare ials --out DIR` writes: the figures behind BENCHMARKS.md's
// "ns per non-zero per CG pass" rows (one pass = a dot and an update of one row vector).
//
//   K=Sources/CVectorKernels
//   clang -O2 -I$K/include -I$K -o /tmp/ials-kernel-bench Benchmarks/tools/ials-kernel-bench.c $K/*.c
//   /tmp/ials-kernel-bench DIR [sweeps]
//
// Also prints the flops those calls do (counted from cg_avx2.c, see cg_flops below) and so the
// GFLOP/s they reach; the last line, `kernel-gflops ...`, is the fastest sweep in a form
// scripts/compare-references reads and sets against Benchmarks/tools/fma-peak.c.
//
// Environment: BOTIFY_SIMD=generic uses the portable kernels; OFF=32 shifts the factor tables
// off their 64-byte alignment by that many bytes; HUGE=1 asks for transparent huge pages;
// HOT=128 folds every item index into the first 128 items (vectors stay in cache: the
// compute-only cost).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "VectorKernels.h"

static float *table(size_t bytes) {
    const size_t huge = 2u << 20;
    bytes = (bytes + huge - 1) / huge * huge;
    char *p = aligned_alloc(huge, bytes + huge);
    if (!p) abort();
    if (getenv("HUGE")) madvise(p, bytes + huge, MADV_HUGEPAGE);
    if (getenv("OFF")) p += atoi(getenv("OFF"));
    return (float *)p;
}

static void *load_npy(const char *dir, const char *name, size_t elem, size_t *count) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    unsigned char h[10];
    if (fread(h, 1, 10, f) != 10) { fprintf(stderr, "%s: short header\n", path); exit(1); }
    long start = 10 + (h[8] | (h[9] << 8));
    fseek(f, 0, SEEK_END);
    long end = ftell(f);
    fseek(f, start, SEEK_SET);
    void *p = malloc(end - start);
    if (!p || fread(p, 1, end - start, f) != (size_t)(end - start)) { fprintf(stderr, "%s: short data\n", path); exit(1); }
    fclose(f);
    *count = (end - start) / elem;
    return p;
}

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Floating-point operations of one `ials_cg_rows` call over rows with `nnz` non-zeros in all, as
// cg_avx2.c does them for a k-factor row with `steps` CG steps (every multiply and every add
// counts one; an FMA counts two), assuming no row stops early (it stops only when a residual
// falls below 1e-20):
//   per non-zero, residual pass:  dot y·s 2k − 1, weight α·v then (1 + αv) − αv·d 4, update t += w·y 2k
//   per non-zero, each CG step:   dot 2k − 1, weight α·v·d 2, update 2k
//   per row:  (1 + steps) products with the k × k Gram matrix, 2k² each; r = −G x: k; r·r 2k − 1;
//             each step: p·Ap 2k − 1, x and r updates 2k each, r·r 2k − 1, p update 2k, 2 divisions
//             (10k in all)
static double cg_flops(double rows, double nnz, double k, double steps) {
    const double per_nnz = (4 * k + 3) + steps * (4 * k + 1);
    const double per_row = (1 + steps) * 2 * k * k + k + (2 * k - 1) + steps * (10 * k);
    return nnz * per_nnz + rows * per_row;
}

// gram_accumulate forms the whole k × k product (not one triangle): k² FMAs per row.
static double gram_flops(double rows, double k) { return rows * 2 * k * k; }

static void gram(const bv_kernels *kern, const float *f, size_t rows, size_t k, float *g) {
    memset(g, 0, k * k * sizeof *g);
    kern->gram_accumulate(f, rows, k, g);
    for (size_t a = 0; a < k; a++) g[a * k + a] += 0.05f;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s DIR [sweeps]\n", argv[0]); return 2; }
    const size_t k = 64;
    const int sweeps = argc > 2 ? atoi(argv[2]) : 2;
    size_t rows1, nnz, nv;
    ptrdiff_t *ptr = load_npy(argv[1], "train_indptr.npy", 8, &rows1);
    int32_t *idx = load_npy(argv[1], "train_indices.npy", 4, &nnz);
    float *val = load_npy(argv[1], "train_data.npy", 4, &nv);
    if (getenv("HOT")) for (size_t j = 0; j < nnz; j++) idx[j] %= atoi(getenv("HOT"));
    size_t users = rows1 - 1, items = 0;
    for (size_t j = 0; j < nnz; j++) if ((size_t)idx[j] + 1 > items) items = idx[j] + 1;

    ptrdiff_t *tptr = calloc(items + 1, sizeof *tptr), *fill = malloc(items * sizeof *fill);
    int32_t *tidx = malloc(nnz * 4);
    float *tval = malloc(nnz * 4);
    for (size_t j = 0; j < nnz; j++) tptr[idx[j] + 1]++;
    for (size_t i = 0; i < items; i++) tptr[i + 1] += tptr[i];
    memcpy(fill, tptr, items * sizeof *fill);
    for (size_t u = 0; u < users; u++)
        for (ptrdiff_t j = ptr[u]; j < ptr[u + 1]; j++) {
            ptrdiff_t d = fill[idx[j]]++;
            tidx[d] = (int32_t)u;
            tval[d] = val[j];
        }

    float *x = table(users * k * 4), *y = table(items * k * 4), *g = malloc(k * k * 4);
    srand(1);
    for (size_t i = 0; i < users * k; i++) x[i] = rand() / (float)RAND_MAX * 0.01f;
    for (size_t i = 0; i < items * k; i++) y[i] = rand() / (float)RAND_MAX * 0.01f;
    const bv_kernels *kern = bv_best_kernels();
    printf("%s: %zu users, %zu items, %zu non-zeros\n", kern->name, users, items, nnz);
    const double f_cg = cg_flops(users, nnz, k, 3) + cg_flops(items, nnz, k, 3);
    const double f_gram = gram_flops(users, k) + gram_flops(items, k);
    double best_cg = 1e30, best_gram = 1e30;
    for (int s = 0; s < sweeps; s++) {
        double t0 = cpu_seconds();
        gram(kern, y, items, k, g);
        double t1 = cpu_seconds();
        kern->ials_cg_rows(x, y, g, ptr, idx, val, k, 2, 3, 0, users);
        double t2 = cpu_seconds();
        gram(kern, x, users, k, g);
        double t3 = cpu_seconds();
        kern->ials_cg_rows(y, x, g, tptr, tidx, tval, k, 2, 3, 0, items);
        double t4 = cpu_seconds();
        // Four passes (residual + 3 CG steps) per non-zero on each side.
        printf("CPU s: gram %.3f users %.3f gram %.3f items %.3f sweep %.3f; %.2f ns per non-zero per pass\n",
               t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0, ((t2 - t1) + (t4 - t3)) * 1e9 / (8.0 * nnz));
        printf("  CG %.2f GFLOP/s, Gram %.2f GFLOP/s\n", f_cg / ((t2 - t1) + (t4 - t3)) * 1e-9, f_gram / ((t1 - t0) + (t3 - t2)) * 1e-9);
        if ((t2 - t1) + (t4 - t3) < best_cg) best_cg = (t2 - t1) + (t4 - t3);
        if ((t1 - t0) + (t3 - t2) < best_gram) best_gram = (t1 - t0) + (t3 - t2);
    }
    double sum = 0;
    for (size_t i = 0; i < users * k; i++) sum += x[i];
    printf("checksum %.3f\n", sum);
    printf("kernel-gflops kernels %s cg %.3f gram %.3f cg_seconds %.4f gram_seconds %.4f cg_flops_per_sweep %.0f gram_flops_per_sweep %.0f ns_per_nnz_pass %.3f\n",
           kern->name, f_cg / best_cg * 1e-9, f_gram / best_gram * 1e-9, best_cg, best_gram, f_cg, f_gram, best_cg * 1e9 / (8.0 * nnz));
    return 0;
}
