#pragma once

// matryx-cli quantize IN OUT --matryoshka: the nested-file branch of the quantize command.

#include "compute/compute_device.h"

#include <memory>
#include <string>

namespace matryx::cli {

struct MatryoshkaCliOptions {
    std::string input;
    std::string output;
    int threads = 0;
    bool force = false;
    bool quiet = false;
    bool verbose = false; // the error table for every tensor, not only the summary
    std::shared_ptr<ComputeDevice> device; // where the nesting runs; null: the CPU
};

// Writes the nested GGUF file and prints the error report; returns the exit code.
int runMatryoshkaQuantize(const MatryoshkaCliOptions& options);

} // namespace matryx::cli
