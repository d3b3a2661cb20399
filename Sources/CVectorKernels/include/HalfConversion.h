#ifndef BOTIFY_HALF_CONVERSION_H
#define BOTIFY_HALF_CONVERSION_H

#include <stddef.h>

// Bulk reading of `.npy` payloads: little-endian float16 widened to float32 (exact: every
// binary16 value is a binary32 value), or float32 copied, stopping at the first value that is
// not finite, which the reader reports.

#ifdef __cplusplus
extern "C" {
#endif

/// Widens `count` little-endian binary16 values at `in` (any alignment) into `out`, in order,
/// until the first infinity or NaN; returns how many were written (`count` when all are finite).
/// Uses F16C when the CPU has it and BOTIFY_SIMD is not "generic"; both give the same bits.
size_t bv_widen_halves(const void *in, float *out, size_t count);
/// The portable version of `bv_widen_halves`, for the agreement test.
size_t bv_widen_halves_generic(const void *in, float *out, size_t count);
/// True when `bv_widen_halves` uses F16C on this CPU.
int bv_widen_halves_is_vector(void);

/// Copies `count` little-endian float32 values at `in` (any alignment) into `out`; returns the
/// index of the first infinity or NaN (`count` when there is none).
size_t bv_copy_finite_floats(const void *in, float *out, size_t count);

#ifdef __cplusplus
}
#endif

#endif
