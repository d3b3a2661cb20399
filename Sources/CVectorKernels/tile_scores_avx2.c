#if defined(__x86_64__)
#include "TileScores.h"
#include "simd_avx2.h"

// Products and sums stay separately rounded: the target has FMA, and a fused multiply-add would
// change the last bit of a score (and with it ties and neighbour lists).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

// Dimensions per pass: a pass keeps two tiles' slice (16 KB) in L1 while six queries at a time
// stream past it; partial sums wait in `out` between passes, so each sum stays sequential.
enum { PASS = 256 };

#define ACC(i) __m256 a##i##0, a##i##1
#define LOAD(i)                                                    \
    if (first) { a##i##0 = _mm256_setzero_ps(); a##i##1 = _mm256_setzero_ps(); } \
    else { a##i##0 = _mm256_loadu_ps(out + (i) * stride); a##i##1 = _mm256_loadu_ps(out + (i) * stride + 8); }
#define STEP(i)                                                    \
    { __m256 x = _mm256_broadcast_ss(q##i + k);                   \
      a##i##0 = _mm256_add_ps(a##i##0, _mm256_mul_ps(va, x));     \
      a##i##1 = _mm256_add_ps(a##i##1, _mm256_mul_ps(vb, x)); }
#define STORE(i) _mm256_storeu_ps(out + (i) * stride, a##i##0); _mm256_storeu_ps(out + (i) * stride + 8, a##i##1)

// Six queries × two tiles (16 tracks) over dimensions [k0, k1): twelve independent sums.
AVX2 static void block(const float *ta, const float *tb, const float *const *queries, size_t k0, size_t k1,
                       float *out, size_t stride, int first) {
    ACC(0); ACC(1); ACC(2); ACC(3); ACC(4); ACC(5);
    LOAD(0) LOAD(1) LOAD(2) LOAD(3) LOAD(4) LOAD(5)
    const float *q0 = queries[0], *q1 = queries[1], *q2 = queries[2];
    const float *q3 = queries[3], *q4 = queries[4], *q5 = queries[5];
    for (size_t k = k0; k < k1; k++) {
        const __m256 va = _mm256_loadu_ps(ta + k * 8), vb = _mm256_loadu_ps(tb + k * 8);
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5)
    }
    STORE(0); STORE(1); STORE(2); STORE(3); STORE(4); STORE(5);
}

AVX2 void bv_tile_scores_avx2_impl(const float *tiled, size_t d, size_t tile_begin, size_t tile_end,
                                   const float *const *queries, size_t query_count, float *out, size_t out_stride) {
    for (size_t k0 = 0; k0 < d; k0 += PASS) {
        const size_t k1 = k0 + PASS < d ? k0 + PASS : d;
        for (size_t t = tile_begin; t < tile_end; t += BV_SCORE_TILES) {
            const float *ta = tiled + t * d * 8, *tb = ta + d * 8;
            for (size_t q = 0; q < query_count; q += BV_SCORE_QUERIES) {
                block(ta, tb, queries + q, k0, k1, out + q * out_stride + (t - tile_begin) * 8, out_stride, k0 == 0);
            }
        }
    }
}
#endif
