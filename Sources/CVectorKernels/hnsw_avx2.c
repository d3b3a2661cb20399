#if defined(__x86_64__)
#include "simd_avx2.h"

#define EXPAND_NAME bv_avx2_hnsw_expand
#define EXPAND_ATTR AVX2
#define EXPAND_DOT bv_avx2_dot_inline
#define EXPAND_L2 bv_avx2_squared_l2_inline
#include "hnsw_expand.h"
#endif
