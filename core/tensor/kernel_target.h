#pragma once

// MATRYX_KERNEL marks a hot loop to be compiled twice, for baseline x86-64 and for x86-64-v3
// (AVX2, F16C), with the dynamic loader picking one per machine: the auto-vectorizer needs AVX2's
// per-lane shifts for most block layouts. Both versions perform the same IEEE operations (fused
// multiply-add is off for matryx_tensor), so their results are bit-identical.

#if defined(__x86_64__) && defined(__linux__) && !defined(MATRYX_NO_KERNEL_CLONES)
#define MATRYX_KERNEL __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define MATRYX_KERNEL
#endif
