#ifndef BOTIFY_VECTOR_KERNELS_H
#define BOTIFY_VECTOR_KERNELS_H

#include <stddef.h>

// Dense float32 kernels behind one table of function pointers, chosen once per process from
// what the CPU offers. Swift has no per-function target attributes, so code that uses AVX2
// and FMA while the rest of the binary still runs on any x86-64 has to live in C.

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv_kernels {
    /// Name of the instruction set the table uses ("avx2+fma", "generic").
    const char *name;
    /// Σ a[i]·b[i]
    float (*dot)(const float *a, const float *b, size_t n);
    /// Σ (a[i] − b[i])²
    float (*squared_l2)(const float *a, const float *b, size_t n);
    /// y[i] += alpha · x[i]
    void (*axpy)(float alpha, const float *x, float *y, size_t n);
} bv_kernels;

/// The fastest table this CPU runs (selected on first use, then fixed).
const bv_kernels *bv_best_kernels(void);
/// Plain C for every CPU; the reference the vector tables are tested against.
const bv_kernels *bv_generic_kernels(void);

#ifdef __cplusplus
}
#endif

#endif
