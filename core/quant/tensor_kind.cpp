#include "quant/tensor_kind.h"

#include <charconv>

namespace matryx {

namespace {

std::string_view stripPart(std::string_view name, std::string& part) {
    for (std::string_view suffix : {".weight", ".bias", ".scale"}) {
        if (name.size() > suffix.size() && name.ends_with(suffix)) {
            part = std::string(suffix.substr(1));
            return name.substr(0, name.size() - suffix.size());
        }
    }
    return name;
}

} // namespace

TensorKind classifyTensor(std::string_view name) {
    TensorKind result;
    std::string_view rest = stripPart(name, result.part);
    constexpr std::string_view block = "blk.";
    if (rest.starts_with(block)) {
        const std::string_view tail = rest.substr(block.size());
        const size_t dot = tail.find('.');
        int layer = 0;
        if (dot != std::string_view::npos && dot > 0) {
            const auto [ptr, ec] = std::from_chars(tail.data(), tail.data() + dot, layer);
            if (ec == std::errc() && ptr == tail.data() + dot && layer >= 0 && dot + 1 < tail.size()) {
                result.layer = layer;
                result.kind = std::string(tail.substr(dot + 1));
                return result;
            }
        }
    }
    result.kind = std::string(rest);
    return result;
}

} // namespace matryx
