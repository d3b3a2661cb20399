#include "HalfConversion.h"
#include "VectorKernels.h"
#include <stdint.h>
#include <string.h>

static inline uint16_t half_at(const unsigned char *p, size_t i) { return (uint16_t)(p[2 * i] | p[2 * i + 1] << 8); }

// IEEE 754 binary16 → binary32 by bits (subnormals renormalised), as NumPy's npy_halfbits_to_floatbits.
static inline float widen(uint16_t h) {
    uint32_t sign = (uint32_t)(h >> 15) << 31, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {
            int e = -1;
            do { e++; mantissa <<= 1; } while (!(mantissa & 0x400));
            bits = sign | (uint32_t)(127 - 15 - e) << 23 | (mantissa & 0x3FF) << 13;
        }
    } else {
        bits = sign | (exponent + 127 - 15) << 23 | mantissa << 13;
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

size_t bv_widen_halves_generic(const void *in, float *out, size_t count) {
    const unsigned char *p = in;
    for (size_t i = 0; i < count; i++) {
        uint16_t h = half_at(p, i);
        if ((h & 0x7C00) == 0x7C00) return i;
        out[i] = widen(h);
    }
    return count;
}

#if defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("avx2,f16c"))) static size_t f16c_widen(const void *in, float *out, size_t count) {
    const unsigned char *p = in;
    const __m128i exponent = _mm_set1_epi16(0x7C00);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m128i h = _mm_loadu_si128((const __m128i *)(p + 2 * i));
        // A lane whose exponent bits are all ones is an infinity or a NaN: finish on the scalar path.
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(h, exponent), exponent))) break;
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(h));
    }
    return i + bv_widen_halves_generic(p + 2 * i, out + i, count - i);
}
#endif

int bv_widen_halves_is_vector(void) {
#if defined(__x86_64__)
    // bv_best_kernels honours BOTIFY_SIMD=generic; every AVX2 CPU botify has met also has F16C.
    __builtin_cpu_init();
    return bv_best_kernels() != bv_generic_kernels() && __builtin_cpu_supports("f16c");
#else
    return 0;
#endif
}

size_t bv_widen_halves(const void *in, float *out, size_t count) {
#if defined(__x86_64__)
    if (bv_widen_halves_is_vector()) return f16c_widen(in, out, count);
#endif
    return bv_widen_halves_generic(in, out, count);
}

size_t bv_copy_finite_floats(const void *in, float *out, size_t count) {
    memcpy(out, in, count * sizeof(float));
    for (size_t i = 0; i < count; i++) {
        uint32_t bits;
        memcpy(&bits, out + i, 4);
        if ((bits & 0x7F800000u) == 0x7F800000u) return i;
    }
    return count;
}
