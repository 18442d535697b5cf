#include "base/error.h"

namespace matryx {

std::string Error::toString() const {
    std::string out = file.empty() ? std::string("<unknown>") : file;
    if (!field.empty()) {
        out += ": ";
        out += field;
    }
    if (offset) {
        out += field.empty() ? ": at byte " : " at byte ";
        out += std::to_string(*offset);
    }
    out += ": ";
    out += message;
    return out;
}

Error makeError(std::string file, std::string field, std::optional<uint64_t> offset, std::string message) {
    return Error{std::move(file), std::move(field), offset, std::move(message)};
}

Error cancelledError(std::string file) {
    Error e{std::move(file), {}, std::nullopt, "cancelled", true};
    return e;
}

} // namespace matryx
