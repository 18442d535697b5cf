#pragma once

// What `perplexity` and `kld` share: the evaluation text (the shipped one by default), read and
// tokenized as llama-perplexity reads and tokenizes its -f file, the options both take, and
// llama-perplexity's timing line.

#include "infer/tokenizer.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace matryx::cli {

struct EvaluationOptions {
    std::string text;      // empty: the shipped evaluation text
    int64_t context = 512;
    int64_t chunks = 0;    // 0: all
    int threads = 0;
    int64_t batch = 512;
};

// -f/--text, -c/--ctx/--ctx-size, --chunks, -t/--threads, -b/--batch-size.
void addEvaluationOptions(CLI::App& sub, EvaluationOptions& options);

// The text file's tokens: its bytes less one trailing newline, with BOS when the vocabulary adds
// one, special-token text left as text. Prints the error and returns nullopt when the file
// cannot be read (or, with no --text, when the shipped text is not found).
std::optional<std::vector<TokenId>> readEvaluationTokens(const std::string& path, const Tokenizer& tokenizer);

// "<name>: 1.23 seconds per pass - ETA 0.45 minutes" on stderr, after the first chunk.
void printPassTime(const char* name, double seconds, int64_t chunks);

} // namespace matryx::cli
