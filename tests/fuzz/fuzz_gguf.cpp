// libFuzzer target for the GGUF reader through its memory-buffer entry point. Whatever the
// bytes, reading gives a Model or an Error; a Model's tensor spans lie inside the buffer
// (AddressSanitizer checks every byte is readable) and its metadata can be rendered.

#include "format/gguf_reader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace matryx;
    const auto source = ByteSource::borrow({reinterpret_cast<const std::byte*>(data), size}, "fuzz.gguf");
    const auto model = readGgufSource(source);
    if (!model) {
        if (model.error().file != "fuzz.gguf" || model.error().field.empty() || !model.error().offset)
            __builtin_trap(); // every error names the file, the field and the byte offset
        return 0;
    }
    unsigned sum = 0;
    for (const TensorInfo& t : model->tensors) {
        const auto bytes = model->data(t);
        if (bytes.size() != t.bytes || t.source != 0) __builtin_trap();
        for (const std::byte b : bytes)
            sum += static_cast<unsigned>(b);
        (void)t.elements();
    }
    for (const auto& [key, value] : model->metadata)
        sum += static_cast<unsigned>(value.display().size() + key.size());
    volatile unsigned sink = sum;
    (void)sink;
    return 0;
}
