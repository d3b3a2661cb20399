#ifndef BOTIFY_VECTOR_KERNELS_H
#define BOTIFY_VECTOR_KERNELS_H

#include <stddef.h>
#include <stdint.h>

// Dense float32 kernels behind one table of function pointers, chosen once per process from
// what the CPU offers. Swift has no per-function target attributes, so code that uses AVX2
// and FMA while the rest of the binary still runs on any x86-64 has to live in C.

#ifdef __cplusplus
extern "C" {
#endif

/// An HNSW graph as `hnsw_expand` sees it: node i's vector starts at
/// nodes + i·stride + vector_offset. `hnsw_expand` takes a link list (links[0] the degree, then
/// the ids), skips the ids whose visited tag already equals `epoch` (no filter when `visited`
/// is NULL) and tags the others, prefetches their vectors, and writes each one's id and distance
/// to the query in link order: 1 − dot (metric 0) or squared L2 (metric 1). Returns how many it
/// wrote. It prefetches `next_hint` (the link list likely expanded next) when not NULL.
typedef struct bv_hnsw_graph {
    const char *nodes;
    size_t stride;
    size_t vector_offset;
    size_t dimension;
    int metric;
    uint16_t *visited;
    uint16_t epoch;
} bv_hnsw_graph;

typedef struct bv_kernels {
    /// Name of the instruction set the table uses ("avx2+fma", "generic").
    const char *name;
    /// Σ a[i]·b[i]
    float (*dot)(const float *a, const float *b, size_t n);
    /// Σ (a[i] − b[i])²
    float (*squared_l2)(const float *a, const float *b, size_t n);
    /// HNSW's inner step, see bv_hnsw_graph.
    size_t (*hnsw_expand)(const struct bv_hnsw_graph *graph, const int32_t *links, const float *query,
                          const void *next_hint, int32_t *ids, float *distances);
    /// iALS: `steps` conjugate-gradient steps, warm-started from the current value, on each row
    /// u in [lo, hi) of `factors` (k wide): (G + Σ_j α v_j y_j y_jᵀ) x_u = Σ_j (1 + α v_j) y_j, where
    /// j runs over row u's stored entries (offsets[u] ..< offsets[u + 1] of indices and values)
    /// and y_j is row indices[j] of `other`. G = YᵀY + λI (k × k, symmetric).
    void (*ials_cg_rows)(float *factors, const float *other, const float *gram, const ptrdiff_t *offsets,
                         const int32_t *indices, const float *values, size_t k, float alpha, int steps,
                         size_t lo, size_t hi);
    /// g (k × k) += Σ_r f_r f_rᵀ over the `count` rows of f (k wide, row-major)
    void (*gram_accumulate)(const float *f, size_t count, size_t k, float *g);
} bv_kernels;

/// The fastest table this CPU runs (selected on first use, then fixed).
const bv_kernels *bv_best_kernels(void);
/// Plain C for every CPU; the reference the vector tables are tested against.
const bv_kernels *bv_generic_kernels(void);
/// The AVX2/FMA table when this CPU runs it (whatever BOTIFY_SIMD says), else NULL: what the
/// agreement tests compare with the generic table, so they never compare a table with itself.
const bv_kernels *bv_avx2_kernels(void);

#ifdef __cplusplus
}
#endif

#endif
