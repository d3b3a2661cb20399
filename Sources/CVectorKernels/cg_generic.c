// Portable iALS row solver and Gram product: the same steps as cg_avx2.c in plain C, the
// reference the AVX2 versions are tested against.
#include <stdlib.h>
#include <string.h>
#include "VectorKernels.h"
#include "tables.h"

// Four-wide vectors through the compilers' vector extension (SSE on baseline x86-64, NEON on
// arm64) with a fixed summation order: plain loops would stay scalar, since vectorising a
// reduction needs reassociation the compiler may not do.
typedef float v4 __attribute__((vector_size(16)));

static inline v4 load4(const float *p) {
    v4 v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void store4(float *p, v4 v) { memcpy(p, &v, sizeof v); }

static float dot4(const float *a, const float *b, size_t n) {
    v4 s0 = {0, 0, 0, 0}, s1 = s0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 += load4(a + i) * load4(b + i);
        s1 += load4(a + i + 4) * load4(b + i + 4);
    }
    v4 s = s0 + s1;
    float total = (s[0] + s[1]) + (s[2] + s[3]);
    for (; i < n; i++) total += a[i] * b[i];
    return total;
}

// t += w y
static void axpy4(float w, const float *y, float *t, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) store4(t + i, load4(t + i) + w * load4(y + i));
    for (; i < n; i++) t[i] += w * y[i];
}

// t += Σ_j w_j y_j, with w_j = (1 + α v_j) − α v_j (y_j·s) on the first pass, α v_j (y_j·s) after.
static void pass(const float *other, const int32_t *idx, const float *val, ptrdiff_t count, float alpha,
                 const float *s, float *t, int first, size_t k) {
    for (ptrdiff_t j = 0; j < count; j++) {
        const float *y = other + (size_t)idx[j] * k;
        float av = alpha * val[j], d = dot4(y, s, k);
        axpy4(first ? (1 + av) - av * d : av * d, y, t, k);
    }
}

static void cg_row(float *x, const float *other, const float *gram, const int32_t *idx, const float *val,
                   ptrdiff_t count, float alpha, int steps, size_t k, float *r, float *p, float *ap) {
    for (size_t a = 0; a < k; a++) r[a] = -dot4(gram + a * k, x, k);
    pass(other, idx, val, count, alpha, x, r, 1, k);
    for (size_t a = 0; a < k; a++) p[a] = r[a];
    float rs_old = dot4(r, r, k);
    if (rs_old < 1e-20f) return;
    for (int it = 0; it < steps; it++) {
        for (size_t a = 0; a < k; a++) ap[a] = dot4(gram + a * k, p, k);
        pass(other, idx, val, count, alpha, p, ap, 0, k);
        float pap = dot4(p, ap, k);
        if (!(pap > 0)) return;
        float step = rs_old / pap;
        axpy4(step, p, x, k);
        axpy4(-step, ap, r, k);
        float rs_new = dot4(r, r, k);
        if (rs_new < 1e-20f) return;
        float beta = rs_new / rs_old;
        for (size_t a = 0; a < k; a++) p[a] = r[a] + beta * p[a];
        rs_old = rs_new;
    }
}

void bv_generic_ials_cg_rows(float *factors, const float *other, const float *gram, const ptrdiff_t *offsets,
                             const int32_t *indices, const float *values, size_t k, float alpha, int steps,
                             size_t lo, size_t hi) {
    float *work = malloc(3 * k * sizeof(float));
    if (!work) abort();
    for (size_t u = lo; u < hi; u++)
        cg_row(factors + u * k, other, gram, indices + offsets[u], values + offsets[u], offsets[u + 1] - offsets[u],
               alpha, steps, k, work, work + k, work + 2 * k);
    free(work);
}

void bv_generic_gram_accumulate(const float *f, size_t count, size_t k, float *g) {
    for (size_t r = 0; r < count; r++) {
        const float *row = f + r * k;
        for (size_t a = 0; a < k; a++)
            for (size_t b = 0; b < k; b++) g[a * k + b] += row[a] * row[b];
    }
}
