#include "base/units.h"

#include <array>
#include <cstdio>

namespace matryx {

namespace {

std::string scaled(uint64_t value, const std::array<const char*, 7>& suffixes, const char* unitSeparator) {
    double v = static_cast<double>(value);
    size_t i = 0;
    while (v >= 1000.0 && i + 1 < suffixes.size()) {
        v /= 1000.0;
        ++i;
    }
    char buf[48];
    if (i == 0)
        std::snprintf(buf, sizeof buf, "%llu%s%s", static_cast<unsigned long long>(value), unitSeparator, suffixes[0]);
    else
        std::snprintf(buf, sizeof buf, "%.1f%s%s", v, unitSeparator, suffixes[i]);
    return buf;
}

} // namespace

std::string formatBytes(uint64_t bytes) {
    return scaled(bytes, {"B", "kB", "MB", "GB", "TB", "PB", "EB"}, " ");
}

std::string formatCount(uint64_t count) {
    if (count < 1000)
        return std::to_string(count);
    return scaled(count, {"", "K", "M", "B", "T", "P", "E"}, " ");
}

} // namespace matryx
