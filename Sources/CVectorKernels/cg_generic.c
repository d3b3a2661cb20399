// Portable iALS row solver and Gram product: the same steps as cg_avx2.c in plain C, the
// reference the AVX2 versions are tested against.
#include <stdlib.h>
#include "VectorKernels.h"
#include "tables.h"

static float dot4(const float *a, const float *b, size_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

// t += Σ_j w_j y_j, with w_j = (1 + α v_j) − α v_j (y_j·s) on the first pass, α v_j (y_j·s) after.
static void pass(const float *other, const int32_t *idx, const float *val, ptrdiff_t count, float alpha,
                 const float *s, float *t, int first, size_t k) {
    for (ptrdiff_t j = 0; j < count; j++) {
        const float *y = other + (size_t)idx[j] * k;
        float av = alpha * val[j], d = dot4(y, s, k);
        float w = first ? (1 + av) - av * d : av * d;
        for (size_t i = 0; i < k; i++) t[i] += w * y[i];
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
        for (size_t a = 0; a < k; a++) {
            x[a] += step * p[a];
            r[a] -= step * ap[a];
        }
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
