// matryx-matmul-dump: runs Matryx's matrix product on raw weight bytes so that a reference script
// can compare every output with ggml's vec_dot for the same type.
//
//   matryx-matmul-dump TYPE ROW_LENGTH weights.bin x.bin out.bin [LEVEL]
//
// weights.bin: rows of TYPE blocks in ggml's layout; x.bin: activation rows of ROW_LENGTH f32;
// out.bin: f32, activation-major (out[t * rows + r]). LEVEL is scalar or the best the CPU runs.
// Exit status: 0 on success, 2 on any error (message on stderr).

#include "compute/cpu_features.h"
#include "compute/matmul.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "matryx-matmul-dump: %s\n", message.c_str());
    return 2;
}

bool readFile(const char* path, std::vector<char>& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

} // namespace

int main(int argc, char** argv) {
    using namespace matryx;
    if (argc != 6 && argc != 7)
        return fail("usage: matryx-matmul-dump TYPE ROW_LENGTH weights.bin x.bin out.bin [scalar]");
    const auto type = typeFromName(argv[1]);
    if (!type)
        return fail(std::string("unknown type ") + argv[1]);
    const int64_t k = std::atoll(argv[2]);
    std::vector<char> weights, activations;
    if (!readFile(argv[3], weights) || !readFile(argv[4], activations))
        return fail("cannot read the inputs");

    MatrixView view{*type, reinterpret_cast<const std::byte*>(weights.data()), k, 0};
    view.rows = 1;
    const size_t rowBytes = view.rowBytes();
    if (rowBytes == 0 || weights.size() % rowBytes != 0)
        return fail("weights.bin is not whole rows");
    view.rows = int64_t(weights.size() / rowBytes);
    if (const Status checked = checkMatrixView(view); !checked)
        return fail(checked.error().message);
    if (activations.size() % (size_t(k) * sizeof(float)) != 0)
        return fail("x.bin is not whole rows");
    const int64_t count = int64_t(activations.size() / (size_t(k) * sizeof(float)));

    MatmulOptions options;
    if (argc == 7 && std::string(argv[6]) == "scalar")
        options.level = CpuKernelLevel::Scalar;
    std::vector<float> out(size_t(count * view.rows));
    MatmulWorkspace workspace;
    multiply(view, out.data(), view.rows, reinterpret_cast<const float*>(activations.data()), count, k,
             workspace, options);
    std::ofstream file(argv[5], std::ios::binary);
    file.write(reinterpret_cast<const char*>(out.data()), std::streamsize(out.size() * sizeof(float)));
    return file ? 0 : fail(std::string("cannot write ") + argv[5]);
}
