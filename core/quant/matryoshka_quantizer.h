#pragma once

// Quantizes f32 values to the nested int8 format of matryoshka_slice.h: codes, scales, minimums.
//
// The scale and minimum of a group are not simply its min-max range. A small search tries the
// range shrunk from both ends by a few fractions of itself, each divided into 255, 240, 224 or
// 192 steps (fewer steps leave room for the coarser slices, whose top code lies below q = 255),
// with s and m rounded to fp16 before the codes are computed, and keeps the candidate that
// minimises the squared error of the 8-, 4- and 2-bit slices together. Each width's error is
// weighed by the inverse of its error under plain min-max, so that the 2-bit error, by far the
// largest, does not decide alone: every nested width stays good, as MatQuant's joint objective
// intends. Ties go to the earlier candidate; plain min-max is the first.
//
// Values that are not finite are read as the nearest finite fp16 value (NaN as 0). The scale is
// at most kMaxMatryoshkaScale, so that the Q4_1 export's d = 16 s stays an exact fp16; groups
// wider than 255 times that saturate.

#include "base/error.h"
#include "compute/compute_device.h"

#include <cstdint>
#include <span>

namespace matryx {

inline constexpr float kMaxMatryoshkaScale = 4094.0f; // 16 * 4094 <= 65504, fp16's largest value

// Nests `values` floats (a multiple of kMatryoshkaGroup) from src: writes one stored code
// (q - 128) per value and one fp16 scale and minimum per group. Deterministic; single-threaded.
void nestValues(const float* src, int64_t values, int8_t* codes, uint16_t* scales, uint16_t* mins) noexcept;

// nestValues over whole rows of rowLength floats, the rows split over up to `threads` threads
// (values below 1 mean 1); the output does not depend on the thread count. Fails, writing
// nothing, when rowLength is not a positive multiple of kMatryoshkaGroup or the buffers do not
// have src.size() codes and src.size() / kMatryoshkaGroup scales and minimums.
Status nestRows(std::span<const float> src, int64_t rowLength, std::span<int8_t> codes,
                std::span<uint16_t> scales, std::span<uint16_t> mins, int threads = 1);

// nestRows(src, 32, ...) on `device`: the OpenCL kernel (compute/opencl_matryoshka.h, the same
// bits) when the device uses OpenCL, otherwise, and after a fallback, the CPU on `threads` threads.
// Fails, writing nothing, as nestRows does on sizes that do not fit.
Status nestValuesOn(ComputeDevice& device, std::span<const float> src, std::span<int8_t> codes,
                    std::span<uint16_t> scales, std::span<uint16_t> mins, int threads = 1);

} // namespace matryx
