#ifndef BOTIFY_VECTOR_KERNELS_TABLES_H
#define BOTIFY_VECTOR_KERNELS_TABLES_H

#include "VectorKernels.h"

extern const bv_kernels bv_generic_table;
size_t bv_generic_hnsw_expand(const bv_hnsw_graph *, const int32_t *, const float *, const void *, int32_t *, float *);
#if defined(__x86_64__)
extern const bv_kernels bv_avx2_table;
size_t bv_avx2_hnsw_expand(const bv_hnsw_graph *, const int32_t *, const float *, const void *, int32_t *, float *);
#endif

#endif
