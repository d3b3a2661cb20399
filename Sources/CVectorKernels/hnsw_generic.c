#include "simd_generic.h"

#define EXPAND_NAME bv_generic_hnsw_expand
#define EXPAND_ATTR
#define EXPAND_DOT bv_generic_dot_inline
#define EXPAND_L2 bv_generic_squared_l2_inline
#include "hnsw_expand.h"
