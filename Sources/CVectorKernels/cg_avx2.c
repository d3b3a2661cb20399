// iALS row solver and Gram product with AVX2/FMA. The solver keeps the search direction and
// the accumulated product in registers and works on blocks of non-zeros in two phases: eight
// dots at a time (one shuffle reduction per eight), then the rank-one updates, while the
// block's item vectors are still in L1. `implicit` instead pays a BLAS dot and axpy call per
// non-zero.
#if defined(__x86_64__)
#include <immintrin.h>
#include "VectorKernels.h"
#include "simd_avx2.h"
#include "tables.h"

#define INLINE static inline __attribute__((always_inline))
// Widest row the register-resident path takes (16 vectors of 8 floats).
#define MAXNV 16
// Non-zeros per block: their vectors (16 KB at 64 factors) stay in L1 between the two phases.
#define BLOCK 64

AVX2 INLINE float vdot(const float *a, const float *b, int nv) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    int m = 0;
    for (; m + 2 <= nv; m += 2) {
        s0 = _mm256_fmadd_ps(_mm256_load_ps(a + 8 * m), _mm256_load_ps(b + 8 * m), s0);
        s1 = _mm256_fmadd_ps(_mm256_load_ps(a + 8 * m + 8), _mm256_load_ps(b + 8 * m + 8), s1);
    }
    if (m < nv) s0 = _mm256_fmadd_ps(_mm256_load_ps(a + 8 * m), _mm256_load_ps(b + 8 * m), s0);
    return hsum256(_mm256_add_ps(s0, s1));
}

AVX2 INLINE void prefetch_rows(const float *other, const int32_t *idx, ptrdiff_t n, int k) {
    for (ptrdiff_t j = 0; j < n; j++) {
        const char *y = (const char *)(other + (size_t)idx[j] * k);
        for (int b = 0; b < k * 4; b += 64) _mm_prefetch(y + b, _MM_HINT_T0);
    }
}

// out = G v for the symmetric k × k G: a sum of G's rows scaled by v's entries.
AVX2 INLINE void matvec(const float *g, const float *v, float *out, int nv) {
    const int k = 8 * nv;
    __m256 acc[MAXNV];
    for (int m = 0; m < nv; m++) acc[m] = _mm256_setzero_ps();
    for (int a = 0; a < k; a++) {
        __m256 b = _mm256_broadcast_ss(v + a);
        for (int m = 0; m < nv; m++) acc[m] = _mm256_fmadd_ps(b, _mm256_loadu_ps(g + (size_t)a * k + 8 * m), acc[m]);
    }
    for (int m = 0; m < nv; m++) _mm256_store_ps(out + 8 * m, acc[m]);
}

// t += Σ_j w_j y_j over the row's non-zeros, where d_j = y_j · s and
// w_j = (1 + α v_j) − α v_j d_j on the first pass (the residual), α v_j d_j after.
AVX2 INLINE void pass(const float *other, const int32_t *idx, const float *val, ptrdiff_t count, float alpha,
                      const float *s, float *t, int first, int nv) {
    const int k = 8 * nv;
    __m256 sv[MAXNV];
    for (int m = 0; m < nv; m++) sv[m] = _mm256_load_ps(s + 8 * m);
    const __m256 va = _mm256_set1_ps(alpha), one = _mm256_set1_ps(1);
    float w[BLOCK] __attribute__((aligned(32)));
    for (ptrdiff_t b = 0; b < count; b += BLOCK) {
        const ptrdiff_t n = count - b < BLOCK ? count - b : BLOCK;
        ptrdiff_t j = 0;
        for (; j + 8 <= n; j += 8) {
            // First touch of these vectors: fetch two groups ahead.
            if (first && b + j + 16 < count)
                prefetch_rows(other, idx + b + j + 16, count - (b + j + 16) < 8 ? count - (b + j + 16) : 8, k);
            const float *y[8];
            for (int i = 0; i < 8; i++) y[i] = other + (size_t)idx[b + j + i] * k;
            __m256 a[8];
            for (int i = 0; i < 8; i++) a[i] = _mm256_mul_ps(_mm256_loadu_ps(y[i]), sv[0]);
            for (int m = 1; m < nv; m++)
                for (int i = 0; i < 8; i++) a[i] = _mm256_fmadd_ps(_mm256_loadu_ps(y[i] + 8 * m), sv[m], a[i]);
            // Eight horizontal sums at once: d = (y_0·s, …, y_7·s).
            __m256 h01 = _mm256_hadd_ps(a[0], a[1]), h23 = _mm256_hadd_ps(a[2], a[3]);
            __m256 h45 = _mm256_hadd_ps(a[4], a[5]), h67 = _mm256_hadd_ps(a[6], a[7]);
            __m256 h0123 = _mm256_hadd_ps(h01, h23), h4567 = _mm256_hadd_ps(h45, h67);
            __m256 d = _mm256_add_ps(_mm256_permute2f128_ps(h0123, h4567, 0x20), _mm256_permute2f128_ps(h0123, h4567, 0x31));
            __m256 av = _mm256_mul_ps(va, _mm256_loadu_ps(val + b + j));
            __m256 wv = first ? _mm256_fnmadd_ps(av, d, _mm256_add_ps(one, av)) : _mm256_mul_ps(av, d);
            _mm256_store_ps(w + j, wv);
        }
        for (; j < n; j++) {
            const float *y = other + (size_t)idx[b + j] * k;
            __m256 a0 = _mm256_setzero_ps();
            for (int m = 0; m < nv; m++) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(y + 8 * m), sv[m], a0);
            float d = hsum256(a0), av = alpha * val[b + j];
            w[j] = first ? (1 + av) - av * d : av * d;
        }
        __m256 tv[MAXNV];
        for (int m = 0; m < nv; m++) tv[m] = _mm256_load_ps(t + 8 * m);
        for (j = 0; j < n; j++) {
            const float *y = other + (size_t)idx[b + j] * k;
            __m256 wb = _mm256_broadcast_ss(w + j);
            for (int m = 0; m < nv; m++) tv[m] = _mm256_fmadd_ps(wb, _mm256_loadu_ps(y + 8 * m), tv[m]);
        }
        for (int m = 0; m < nv; m++) _mm256_store_ps(t + 8 * m, tv[m]);
    }
}

AVX2 INLINE void cg_row(float *x, const float *other, const float *gram, const int32_t *idx, const float *val,
                        ptrdiff_t count, float alpha, int steps, int nv) {
    const int k = 8 * nv;
    float xs[8 * MAXNV] __attribute__((aligned(32)));
    float r[8 * MAXNV] __attribute__((aligned(32)));
    float p[8 * MAXNV] __attribute__((aligned(32)));
    float ap[8 * MAXNV] __attribute__((aligned(32)));
    prefetch_rows(other, idx, count < 16 ? count : 16, k);
    for (int m = 0; m < nv; m++) _mm256_store_ps(xs + 8 * m, _mm256_loadu_ps(x + 8 * m));
    // r = b − A x
    matvec(gram, xs, r, nv);
    for (int m = 0; m < nv; m++) _mm256_store_ps(r + 8 * m, _mm256_sub_ps(_mm256_setzero_ps(), _mm256_load_ps(r + 8 * m)));
    pass(other, idx, val, count, alpha, xs, r, 1, nv);
    for (int m = 0; m < nv; m++) _mm256_store_ps(p + 8 * m, _mm256_load_ps(r + 8 * m));
    float rs_old = vdot(r, r, nv);
    if (rs_old < 1e-20f) return;
    for (int it = 0; it < steps; it++) {
        matvec(gram, p, ap, nv);
        pass(other, idx, val, count, alpha, p, ap, 0, nv);
        float pap = vdot(p, ap, nv);
        if (!(pap > 0)) break;
        const __m256 step = _mm256_set1_ps(rs_old / pap);
        for (int m = 0; m < nv; m++) {
            _mm256_store_ps(xs + 8 * m, _mm256_fmadd_ps(step, _mm256_load_ps(p + 8 * m), _mm256_load_ps(xs + 8 * m)));
            _mm256_store_ps(r + 8 * m, _mm256_fnmadd_ps(step, _mm256_load_ps(ap + 8 * m), _mm256_load_ps(r + 8 * m)));
        }
        float rs_new = vdot(r, r, nv);
        if (rs_new < 1e-20f) break;
        const __m256 beta = _mm256_set1_ps(rs_new / rs_old);
        for (int m = 0; m < nv; m++)
            _mm256_store_ps(p + 8 * m, _mm256_fmadd_ps(beta, _mm256_load_ps(p + 8 * m), _mm256_load_ps(r + 8 * m)));
        rs_old = rs_new;
    }
    for (int m = 0; m < nv; m++) _mm256_storeu_ps(x + 8 * m, _mm256_load_ps(xs + 8 * m));
}

// One copy per common width, so every loop over the vectors unrolls and the arrays of vectors
// become registers; other multiples of 8 take the same code with run-time loops.
#define CG_ROWS(NAME, NV)                                                                                       \
    AVX2 static void NAME(float *factors, const float *other, const float *gram, const ptrdiff_t *offsets,   \
                          const int32_t *indices, const float *values, size_t k, float alpha, int steps,      \
                          size_t lo, size_t hi) {                                                            \
        for (size_t u = lo; u < hi; u++)                                                                     \
            cg_row(factors + u * k, other, gram, indices + offsets[u], values + offsets[u],                  \
                   offsets[u + 1] - offsets[u], alpha, steps, NV);                                          \
    }
CG_ROWS(cg_rows_16, 2)
CG_ROWS(cg_rows_32, 4)
CG_ROWS(cg_rows_64, 8)
CG_ROWS(cg_rows_128, 16)
CG_ROWS(cg_rows_any, (int)(k / 8))

AVX2 void bv_avx2_ials_cg_rows(float *factors, const float *other, const float *gram, const ptrdiff_t *offsets,
                                   const int32_t *indices, const float *values, size_t k, float alpha, int steps,
                                   size_t lo, size_t hi) {
    switch (k) {
    case 16: cg_rows_16(factors, other, gram, offsets, indices, values, k, alpha, steps, lo, hi); return;
    case 32: cg_rows_32(factors, other, gram, offsets, indices, values, k, alpha, steps, lo, hi); return;
    case 64: cg_rows_64(factors, other, gram, offsets, indices, values, k, alpha, steps, lo, hi); return;
    case 128: cg_rows_128(factors, other, gram, offsets, indices, values, k, alpha, steps, lo, hi); return;
    }
    if (k % 8 == 0 && k <= 8 * MAXNV)
        cg_rows_any(factors, other, gram, offsets, indices, values, k, alpha, steps, lo, hi);
    else
        bv_generic_ials_cg_rows(factors, other, gram, offsets, indices, values, k, alpha, steps, lo, hi);
}

// g += Σ f_r f_rᵀ, in tiles of 4 × 16 outputs held in registers while a block of rows (kept in
// L1) streams past.
AVX2 void bv_avx2_gram_accumulate(const float *f, size_t count, size_t k, float *g) {
    if (k % 8 != 0) {
        bv_generic_gram_accumulate(f, count, k, g);
        return;
    }
    enum { ROWS = 96 };
    for (size_t r0 = 0; r0 < count; r0 += ROWS) {
        const size_t n = count - r0 < ROWS ? count - r0 : ROWS;
        const float *blk = f + r0 * k;
        for (size_t a = 0; a < k; a += 4) {
            size_t c = 0;
            for (; c + 16 <= k; c += 16) {
                __m256 acc[4][2];
                for (int i = 0; i < 4; i++)
                    for (int h = 0; h < 2; h++) acc[i][h] = _mm256_loadu_ps(g + (a + i) * k + c + 8 * h);
                for (size_t r = 0; r < n; r++) {
                    const float *row = blk + r * k;
                    __m256 y0 = _mm256_loadu_ps(row + c), y1 = _mm256_loadu_ps(row + c + 8);
                    for (int i = 0; i < 4; i++) {
                        __m256 b = _mm256_broadcast_ss(row + a + i);
                        acc[i][0] = _mm256_fmadd_ps(b, y0, acc[i][0]);
                        acc[i][1] = _mm256_fmadd_ps(b, y1, acc[i][1]);
                    }
                }
                for (int i = 0; i < 4; i++)
                    for (int h = 0; h < 2; h++) _mm256_storeu_ps(g + (a + i) * k + c + 8 * h, acc[i][h]);
            }
            if (c < k) {
                __m256 acc[4];
                for (int i = 0; i < 4; i++) acc[i] = _mm256_loadu_ps(g + (a + i) * k + c);
                for (size_t r = 0; r < n; r++) {
                    const float *row = blk + r * k;
                    __m256 y0 = _mm256_loadu_ps(row + c);
                    for (int i = 0; i < 4; i++) acc[i] = _mm256_fmadd_ps(_mm256_broadcast_ss(row + a + i), y0, acc[i]);
                }
                for (int i = 0; i < 4; i++) _mm256_storeu_ps(g + (a + i) * k + c, acc[i]);
            }
        }
    }
}

#endif
