#if defined(__x86_64__)
#include "VectorKernels.h"
#include "simd_avx2.h"
#include "tables.h"

AVX2 static float avx2_dot(const float *a, const float *b, size_t n) { return bv_avx2_dot_inline(a, b, n); }

AVX2 static float avx2_squared_l2(const float *a, const float *b, size_t n) { return bv_avx2_squared_l2_inline(a, b, n); }

AVX2 static void avx2_axpy(float alpha, const float *x, float *y, size_t n) {
    __m256 va = _mm256_set1_ps(alpha);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; i++) y[i] += alpha * x[i];
}

const bv_kernels bv_avx2_table = {
    .name = "avx2+fma",
    .dot = avx2_dot,
    .squared_l2 = avx2_squared_l2,
    .axpy = avx2_axpy,
    .hnsw_expand = bv_avx2_hnsw_expand,
    .ials_cg_rows = bv_avx2_ials_cg_rows,
    .gram_accumulate = bv_avx2_gram_accumulate,
};
#endif
