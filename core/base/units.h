#pragma once

// Human-readable sizes and counts, shared by the CLI and the GUI so both say the same thing.

#include <cstdint>
#include <string>

namespace matryx {

// 98362432 -> "98.4 MB" (decimal units, as file managers show them).
std::string formatBytes(uint64_t bytes);
// 134515008 -> "134.5 M"; below 1000 the plain number.
std::string formatCount(uint64_t count);

} // namespace matryx
