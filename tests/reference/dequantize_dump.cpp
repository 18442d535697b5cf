// matryx-dequantize-dump: runs Matryx's conversions on raw bytes so that a reference script can
// compare the output with gguf-py and ggml.
//
//   matryx-dequantize-dump TYPE in.bin out.bin [THREADS]   in: blocks of TYPE; out: f32 values
//   matryx-dequantize-dump --from-float TYPE in.bin out.bin in: f32 values; out: TYPE (F32/F16/BF16)
//
// Exit status: 0 on success, 2 on any error (message on stderr).

#include "tensor/dequantize.h"
#include "tensor/float_convert.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "matryx-dequantize-dump: %s\n", message.c_str());
    return 2;
}

bool readFile(const char* path, std::vector<std::byte>& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    out.resize(raw.size());
    for (size_t i = 0; i < raw.size(); ++i)
        out[i] = std::byte(static_cast<unsigned char>(raw[i]));
    return true;
}

bool writeFile(const char* path, const void* data, size_t size) {
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(data), std::streamsize(size));
    return bool(out);
}

} // namespace

int main(int argc, char** argv) {
    using namespace matryx;
    const bool fromFloat = argc > 1 && std::string(argv[1]) == "--from-float";
    const int first = fromFloat ? 2 : 1;
    if (argc - first < 3 || argc - first > 4)
        return fail("usage: matryx-dequantize-dump [--from-float] TYPE in.bin out.bin [THREADS]");
    const auto type = typeFromName(argv[first]);
    if (!type)
        return fail(std::string("unknown type ") + argv[first]);
    std::vector<std::byte> input;
    if (!readFile(argv[first + 1], input))
        return fail(std::string("cannot read ") + argv[first + 1]);
    const TypeTraits& traits = typeTraits(*type);

    if (fromFloat) {
        if (input.size() % sizeof(float) != 0)
            return fail("input is not a whole number of floats");
        std::vector<float> values(input.size() / sizeof(float));
        std::memcpy(values.data(), input.data(), input.size());
        std::vector<std::byte> out(values.size() * traits.blockBytes);
        if (Status s = convertFromFloat(*type, values.data(), out.data(), int64_t(values.size())); !s)
            return fail(s.error().toString());
        return writeFile(argv[first + 2], out.data(), out.size()) ? 0 : fail("cannot write output");
    }

    if (input.size() % traits.blockBytes != 0)
        return fail("input is not a whole number of " + std::string(traits.name) + " blocks");
    const int threads = argc - first == 4 ? std::atoi(argv[first + 3]) : 1;
    std::vector<float> out(input.size() / traits.blockBytes * traits.blockSize);
    if (Status s = dequantize(*type, input, out, threads); !s)
        return fail(s.error().toString());
    if (!writeFile(argv[first + 2], out.data(), out.size() * sizeof(float)))
        return fail("cannot write output");
    return 0;
}
