#pragma once

// Hands the pages of a mapped source tensor back to the kernel once it has been written, so
// that streaming a model through memory keeps the peak at one tensor rather than the model.

#include <cstddef>
#include <span>

namespace matryx {

// Asks the kernel to reclaim the whole pages inside `bytes` (MADV_PAGEOUT). Never loses data:
// clean file pages are dropped and read again when touched, and pages of a buffer in memory are
// at most swapped. Best effort: it does nothing where the kernel refuses (Linux before 5.4).
void releasePages(std::span<const std::byte> bytes) noexcept;

} // namespace matryx
