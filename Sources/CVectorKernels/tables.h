#ifndef BOTIFY_VECTOR_KERNELS_TABLES_H
#define BOTIFY_VECTOR_KERNELS_TABLES_H

#include "VectorKernels.h"

extern const bv_kernels bv_generic_table;
size_t bv_generic_hnsw_expand(const bv_hnsw_graph *, const int32_t *, const float *, const void *, int32_t *, float *);
#if defined(__x86_64__)
extern const bv_kernels bv_avx2_table;
size_t bv_avx2_hnsw_expand(const bv_hnsw_graph *, const int32_t *, const float *, const void *, int32_t *, float *);
#endif

void bv_generic_ials_cg_rows(float *factors, const float *other, const float *gram, const ptrdiff_t *offsets,
                             const int32_t *indices, const float *values, size_t k, float alpha, int steps,
                             size_t lo, size_t hi);
void bv_generic_gram_accumulate(const float *f, size_t count, size_t k, float *g);
#if defined(__x86_64__)
void bv_avx2_ials_cg_rows(float *factors, const float *other, const float *gram, const ptrdiff_t *offsets,
                          const int32_t *indices, const float *values, size_t k, float alpha, int steps,
                          size_t lo, size_t hi);
void bv_avx2_gram_accumulate(const float *f, size_t count, size_t k, float *g);
#endif

#endif
