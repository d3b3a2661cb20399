#include "VectorKernels.h"
#include "tables.h"

const bv_kernels *bv_generic_kernels(void) { return &bv_generic_table; }

// BOTIFY_SIMD=generic forces the portable table, to compare the two on one machine.
#include <stdlib.h>
#include <string.h>

const bv_kernels *bv_avx2_kernels(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &bv_avx2_table;
#endif
    return NULL;
}

static const bv_kernels *select_kernels(void) {
    const char *forced = getenv("BOTIFY_SIMD");
    if (forced && strcmp(forced, "generic") == 0) return &bv_generic_table;
    const bv_kernels *avx2 = bv_avx2_kernels();
    return avx2 ? avx2 : &bv_generic_table;
}

const bv_kernels *bv_best_kernels(void) {
    // Every thread that races here computes the same answer, so a relaxed store is enough.
    static const bv_kernels *chosen;
    const bv_kernels *k = __atomic_load_n(&chosen, __ATOMIC_ACQUIRE);
    if (!k) {
        k = select_kernels();
        __atomic_store_n(&chosen, k, __ATOMIC_RELEASE);
    }
    return k;
}
