#pragma once

// llama.cpp's saved-logits file, what `llama-perplexity --kl-divergence-base FILE` writes and
// `--kl-divergence` reads, so that either tool can compare against the other's reference run.
// Little-endian, no alignment:
//
//   offset  size                         field
//   0       8                            magic "_logits_"
//   8       4   int32                    context (tokens per window, n_ctx)
//   12      4   int32                    vocabulary (n_vocab)
//   16      4   int32                    chunks (n_chunk)
//   20      4 x context x chunks  int32  the text's tokens, chunk after chunk (not BOS-replaced)
//   then, per chunk, context - 1 - context/2 rows of savedRowWords(vocabulary) uint16 words
//   (log_softmax.h: the scored rows' log-probabilities, 16 bits each)
//
// A reader maps the file and checks every count against its size before use; rows are read in
// place. A writer streams chunks through an AtomicFile: a cancelled or failed run leaves nothing.

#include "base/atomic_file.h"
#include "base/byte_source.h"
#include "base/error.h"
#include "infer/vocabulary.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace matryx {

class SavedLogits {
public:
    // Maps and checks the file: the magic, context in [2, 2^24], vocabulary in [1, 2^24],
    // chunks >= 1, and a size exactly that of the header, tokens and rows. Errors name the file,
    // the field and its offset.
    static Result<SavedLogits> open(const std::filesystem::path& path);
    // The same checks on bytes in memory (tests, fuzzers).
    static Result<SavedLogits> fromSource(std::shared_ptr<const ByteSource> source);

    int64_t context() const noexcept { return context_; }
    int64_t vocabulary() const noexcept { return vocabulary_; }
    int64_t chunks() const noexcept { return chunks_; }
    int64_t rowsPerChunk() const noexcept { return context_ - 1 - context_ / 2; }
    const std::vector<TokenId>& tokens() const noexcept { return tokens_; }
    const std::string& name() const noexcept { return source_->name(); }

    // Row r (0 <= r < rowsPerChunk()) of chunk c (0 <= c < chunks()): savedRowWords(vocabulary)
    // words, valid while this object lives.
    std::span<const uint16_t> row(int64_t chunk, int64_t r) const noexcept;

private:
    std::shared_ptr<const ByteSource> source_;
    int64_t context_ = 0, vocabulary_ = 0, chunks_ = 0;
    uint64_t rowsOffset_ = 0;
    std::vector<TokenId> tokens_;
};

class SavedLogitsWriter {
public:
    // Creates the file (through a temporary one) and writes the header and the tokens of
    // `chunks` windows (tokens.size() >= chunks x context). Fails when the target exists and
    // overwrite is No, when the folder is not writable, or on counts out of range.
    static Result<std::unique_ptr<SavedLogitsWriter>> create(const std::filesystem::path& path, int64_t context,
                                                             int64_t vocabulary, int64_t chunks,
                                                             std::span<const TokenId> tokens, Overwrite overwrite);

    // Appends rows already in saved form (a whole number of rows).
    Status write(std::span<const uint16_t> rows);
    // Renames the file into place; fails unless every chunk's rows were written.
    Status commit();

    int64_t vocabulary() const noexcept { return vocabulary_; }

private:
    std::unique_ptr<AtomicFile> file_;
    int64_t vocabulary_ = 0;
    uint64_t expectedSize_ = 0;
};

} // namespace matryx
