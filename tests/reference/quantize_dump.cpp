// matryx-quantize-dump: runs Matryx's quantizers on raw floats so that a reference script can compare
// the bytes with ggml and gguf-py.
//
//   matryx-quantize-dump TYPE ROW_LENGTH in.f32 out.bin [--imatrix weights.f32] [--threads N]
//
// in.f32 holds whole rows of ROW_LENGTH little-endian floats; weights.f32 holds ROW_LENGTH floats.
// Exit status: 0 on success, 2 on any error (message on stderr).

#include "tensor/quantize.h"
#include "tensor/tensor_type.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "matryx-quantize-dump: %s\n", message.c_str());
    return 2;
}

bool readFloats(const char* path, std::vector<float>& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    const std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (raw.size() % sizeof(float) != 0) return false;
    out.resize(raw.size() / sizeof(float));
    std::memcpy(out.data(), raw.data(), raw.size());
    return true;
}

} // namespace

int main(int argc, char** argv) {
    using namespace matryx;
    if (argc < 5)
        return fail(
            "usage: matryx-quantize-dump TYPE ROW_LENGTH in.f32 out.bin [--imatrix w.f32] [--threads N]");
    const auto type = typeFromName(argv[1]);
    if (!type) return fail(std::string("unknown type ") + argv[1]);
    const int64_t rowLength = std::atoll(argv[2]);
    std::vector<float> values, importance;
    if (!readFloats(argv[3], values)) return fail(std::string("cannot read whole floats from ") + argv[3]);
    int threads = 1;
    for (int i = 5; i < argc; ++i) {
        const std::string option = argv[i];
        if (i + 1 >= argc) return fail(option + " needs a value");
        if (option == "--imatrix") {
            if (!readFloats(argv[++i], importance) || int64_t(importance.size()) != rowLength)
                return fail(std::string("--imatrix needs ROW_LENGTH floats in ") + argv[i]);
        } else if (option == "--threads") {
            threads = std::atoi(argv[++i]);
        } else {
            return fail("unknown option " + option);
        }
    }
    const auto bytes = bytesFor(*type, values.size());
    if (!bytes) return fail("input is not a whole number of blocks");
    std::vector<std::byte> out(*bytes);
    if (Status s = quantize(*type, values, rowLength, out, importance.empty() ? nullptr : importance.data(),
                            threads);
        !s)
        return fail(s.error().toString());
    std::ofstream file(argv[4], std::ios::binary);
    file.write(reinterpret_cast<const char*>(out.data()), std::streamsize(out.size()));
    return file ? 0 : fail(std::string("cannot write ") + argv[4]);
}
