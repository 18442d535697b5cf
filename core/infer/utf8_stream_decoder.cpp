#include "infer/utf8_stream_decoder.h"

#include "infer/utf8.h"

namespace matryx {

std::string Utf8StreamDecoder::push(std::string_view piece) {
    pending_ += piece;
    const size_t keep = incompleteUtf8Tail(pending_);
    std::string ready = pending_.substr(0, pending_.size() - keep);
    pending_.erase(0, pending_.size() - keep);
    return ready;
}

std::string Utf8StreamDecoder::finish() {
    std::string rest;
    rest.swap(pending_);
    return rest;
}

} // namespace matryx
