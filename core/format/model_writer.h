#pragma once

// What the file writers share: the list of tensors to write and a producer that fills each
// tensor's bytes on demand, so that a whole model is never held in memory. Writers stream
// tensor by tensor into an AtomicFile: a failed or cancelled write leaves no file behind.

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/progress.h"
#include "tensor/tensor_type.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace matryx {

struct OutputTensor {
    std::string name;
    TensorType type = TensorType::F32;
    std::vector<int64_t> shape; // ggml order: shape[0] is the row length
};

// Fills `out` (exactly the tensor's byte size) with the data of tensors[index]. Called once per
// tensor, in order, from the writing thread.
using TensorProducer = std::function<Status(size_t index, std::span<std::byte> out)>;

struct WriteOptions {
    Overwrite overwrite = Overwrite::No;
    uint64_t alignment = 32; // GGUF only; a power of two
};

} // namespace matryx
