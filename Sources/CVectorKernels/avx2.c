#if defined(__x86_64__)
#include "VectorKernels.h"
#include "simd_avx2.h"
#include "tables.h"

AVX2 static float avx2_dot(const float *a, const float *b, size_t n) { return bv_avx2_dot_inline(a, b, n); }

AVX2 static float avx2_squared_l2(const float *a, const float *b, size_t n) { return bv_avx2_squared_l2_inline(a, b, n); }

const bv_kernels bv_avx2_table = {
    .name = "avx2+fma",
    .dot = avx2_dot,
    .squared_l2 = avx2_squared_l2,
    .hnsw_expand = bv_avx2_hnsw_expand,
    .ials_cg_rows = bv_avx2_ials_cg_rows,
    .gram_accumulate = bv_avx2_gram_accumulate,
};
#endif
