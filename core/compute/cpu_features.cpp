#include "compute/cpu_features.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <cstdlib>
#include <string_view>

namespace matryx {

namespace {

#if defined(__x86_64__)
// AVX2, FMA and F16C from CPUID, and the OS saving YMM registers (OSXSAVE and XCR0 bits 1-2):
// read directly because not every compiler's __builtin_cpu_supports knows "f16c".
bool hasAvx2FmaF16c() noexcept {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const bool fma = ecx & (1u << 12), osxsave = ecx & (1u << 27), f16c = ecx & (1u << 29);
    if (!fma || !osxsave || !f16c) return false;
    unsigned xcr0Low = 0, xcr0High = 0;
    __asm__("xgetbv" : "=a"(xcr0Low), "=d"(xcr0High) : "c"(0));
    if ((xcr0Low & 0x6u) != 0x6u) return false;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
    return ebx & (1u << 5);
}
#endif

} // namespace

std::string_view cpuKernelLevelName(CpuKernelLevel level) noexcept {
    switch (level) {
    case CpuKernelLevel::Scalar:
        return "scalar";
    case CpuKernelLevel::Avx2:
        return "avx2";
    }
    return "unknown";
}

bool cpuSupports(CpuKernelLevel level) noexcept {
    switch (level) {
    case CpuKernelLevel::Scalar:
        return true;
    case CpuKernelLevel::Avx2:
#if defined(__x86_64__)
    {
        static const bool supported = hasAvx2FmaF16c();
        return supported;
    }
#else
        return false;
#endif
    }
    return false;
}

CpuKernelLevel bestCpuKernelLevel() noexcept {
    static const CpuKernelLevel level = [] {
        const char* forced = std::getenv("MATRYX_CPU_KERNELS");
        if (forced && std::string_view(forced) == "scalar") return CpuKernelLevel::Scalar;
        return cpuSupports(CpuKernelLevel::Avx2) ? CpuKernelLevel::Avx2 : CpuKernelLevel::Scalar;
    }();
    return level;
}

} // namespace matryx
