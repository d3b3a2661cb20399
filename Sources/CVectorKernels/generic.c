#include "VectorKernels.h"
#include "simd_generic.h"
#include "tables.h"

static float generic_dot(const float *a, const float *b, size_t n) { return bv_generic_dot_inline(a, b, n); }

static float generic_squared_l2(const float *a, const float *b, size_t n) { return bv_generic_squared_l2_inline(a, b, n); }

const bv_kernels bv_generic_table = {
    .name = "generic",
    .dot = generic_dot,
    .squared_l2 = generic_squared_l2,
    .hnsw_expand = bv_generic_hnsw_expand,
    .ials_cg_rows = bv_generic_ials_cg_rows,
    .gram_accumulate = bv_generic_gram_accumulate,
};
