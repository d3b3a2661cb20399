#ifndef BOTIFY_VECTOR_KERNELS_TABLES_H
#define BOTIFY_VECTOR_KERNELS_TABLES_H

#include "VectorKernels.h"

extern const bv_kernels bv_generic_table;
#if defined(__x86_64__)
extern const bv_kernels bv_avx2_table;
#endif

#endif
