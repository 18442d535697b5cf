#include "gui/demo_model.h"

#include <cstdlib>

namespace matryx {

std::filesystem::path demoModelPath() {
    std::filesystem::path cache;
    if (const char* env = std::getenv("MATRYX_CACHE"); env && *env)
        cache = env;
    else if (const char* home = std::getenv("HOME"); home && *home)
        cache = std::filesystem::path(home) / ".cache" / "matryx";
    else
        return {};
    return cache / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf";
}

} // namespace matryx
