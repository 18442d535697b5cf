#pragma once

// Which instruction-set level the CPU matrix kernels run at. The build targets baseline x86-64;
// the AVX2 kernels are compiled with per-function target attributes and chosen at run time, so
// one binary runs everywhere and uses AVX2, FMA and F16C where the CPU has all three. AMX is never
// used (it faults on some machines that advertise it).

#include <string_view>

namespace matryx {

enum class CpuKernelLevel {
    Scalar, // portable C++, any CPU
    Avx2,   // AVX2 + FMA + F16C (x86-64-v3)
};

std::string_view cpuKernelLevelName(CpuKernelLevel level) noexcept; // "scalar", "avx2"

// True when this CPU can run kernels of `level`.
bool cpuSupports(CpuKernelLevel level) noexcept;

// The fastest level this CPU supports, unless MATRYX_CPU_KERNELS=scalar asks for the portable
// kernels (for comparisons); read once per process.
CpuKernelLevel bestCpuKernelLevel() noexcept;

} // namespace matryx
