#include "quant/source_pages.h"

#include <algorithm>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace matryx {

// MADV_DONTNEED would be wrong here: it zeroes the pages of a buffer held in memory.
void releasePages(std::span<const std::byte> bytes) noexcept {
#if defined(MADV_PAGEOUT)
    static const uintptr_t page = static_cast<uintptr_t>(std::max(4096L, sysconf(_SC_PAGESIZE)));
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(bytes.data()) + page - 1) / page * page;
    const uintptr_t end = (reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size()) / page * page;
    if (end > begin) (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_PAGEOUT);
#else
    (void)bytes;
#endif
}

} // namespace matryx
