#include "TileScores.h"
#include "VectorKernels.h"

// Products and sums stay separately rounded: a fused multiply-add would change the last bit.
#pragma STDC FP_CONTRACT OFF

void bv_tile_scores_avx2_impl(const float *, size_t, size_t, size_t, const float *const *, size_t, float *, size_t);

// One query at a time over one tile: eight lanes the compiler vectorises at the baseline width,
// each lane still one sequential sum.
static void generic_tile_scores(const float *tiled, size_t d, size_t tile_begin, size_t tile_end,
                                const float *const *queries, size_t query_count, float *out, size_t out_stride) {
    for (size_t t = tile_begin; t < tile_end; t++) {
        const float *tile = tiled + t * d * 8;
        for (size_t q = 0; q < query_count; q++) {
            const float *query = queries[q];
            float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
            for (size_t k = 0; k < d; k++) {
                const float x = query[k];
                for (int j = 0; j < 8; j++) s[j] = s[j] + tile[k * 8 + j] * x;
            }
            float *row = out + q * out_stride + (t - tile_begin) * 8;
            for (int j = 0; j < 8; j++) row[j] = s[j];
        }
    }
}

bv_tile_scores_fn bv_tile_scores_generic(void) { return generic_tile_scores; }

bv_tile_scores_fn bv_tile_scores_avx2(void) {
#if defined(__x86_64__)
    // The same test as the kernel table's, so one CPU check decides both.
    if (bv_avx2_kernels()) return bv_tile_scores_avx2_impl;
#endif
    return NULL;
}

bv_tile_scores_fn bv_tile_scores_best(void) {
    // bv_best_kernels honours BOTIFY_SIMD=generic.
    if (bv_best_kernels() == bv_generic_kernels()) return generic_tile_scores;
    bv_tile_scores_fn avx2 = bv_tile_scores_avx2();
    return avx2 ? avx2 : generic_tile_scores;
}
