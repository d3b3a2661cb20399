#ifndef BOTIFY_TILE_SCORES_H
#define BOTIFY_TILE_SCORES_H

#include <stddef.h>

// Exact inner products of many queries with many tracks, for the simulator's nearest-neighbour
// lists. Tracks are stored in tiles of 8: tile t holds tracks 8t…8t+7, dimension-major
// (element k of lane j at tiled[(t·d + k)·8 + j]). Every score is the plain sequential sum
// s = 0; for k in 0..<d: s = s + v[k]·q[k] in float32 with each product and each sum rounded
// (never fused, never reassociated), so it equals a scalar loop bit for bit whatever the
// instruction set; only the order in which pairs are computed changes.

#ifdef __cplusplus
extern "C" {
#endif

/// Queries and tiles per register block: query_count must be a multiple of BV_SCORE_QUERIES and
/// tile_end − tile_begin of BV_SCORE_TILES (callers pad with a repeated query and zero tiles).
#define BV_SCORE_QUERIES 6
#define BV_SCORE_TILES 2

/// out[q·out_stride + (t − tile_begin)·8 + j] = score of queries[q] (d floats) with lane j of
/// tile t, for t in [tile_begin, tile_end).
typedef void (*bv_tile_scores_fn)(const float *tiled, size_t d, size_t tile_begin, size_t tile_end,
                                  const float *const *queries, size_t query_count, float *out, size_t out_stride);

/// The AVX2 version when this CPU runs it and BOTIFY_SIMD is not "generic", else the portable one.
bv_tile_scores_fn bv_tile_scores_best(void);
/// Plain C, the reference the vector version is tested against.
bv_tile_scores_fn bv_tile_scores_generic(void);
/// The AVX2 version when this CPU runs it (whatever BOTIFY_SIMD says), else NULL.
bv_tile_scores_fn bv_tile_scores_avx2(void);

#ifdef __cplusplus
}
#endif

#endif
