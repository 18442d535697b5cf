#pragma once

// Where packaging/bootstrap.sh puts the demo model: $MATRYX_CACHE/models or
// ~/.cache/matryx/models, under the file's own name.

#include <filesystem>

namespace matryx {

std::filesystem::path demoModelPath();

} // namespace matryx
