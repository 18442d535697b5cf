#include "infer/saved_logits.h"

#include "infer/log_softmax.h"

#include <cstring>
#include <string>

namespace matryx {

namespace {

constexpr char kMagic[8] = {'_', 'l', 'o', 'g', 'i', 't', 's', '_'};
constexpr uint64_t kHeaderBytes = 20;
constexpr int64_t kMaxContext = int64_t(1) << 24;
constexpr int64_t kMaxVocabulary = int64_t(1) << 24;

int32_t readInt32(std::span<const std::byte> bytes, uint64_t offset) {
    int32_t v;
    std::memcpy(&v, bytes.data() + offset, sizeof v);
    return v;
}

uint64_t rowsBytesPerChunk(int64_t context, int64_t vocabulary) {
    return uint64_t(context - 1 - context / 2) * uint64_t(savedRowWords(vocabulary)) * sizeof(uint16_t);
}

} // namespace

Result<SavedLogits> SavedLogits::open(const std::filesystem::path& path) {
    auto source = ByteSource::mapFile(path);
    if (!source) return std::move(source).error();
    return fromSource(std::move(*source));
}

Result<SavedLogits> SavedLogits::fromSource(std::shared_ptr<const ByteSource> source) {
    const std::string& name = source->name();
    const auto bytes = source->bytes();
    if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return makeError(name, "magic", 0, "not a llama.cpp logits file (no \"_logits_\" header)");
    if (reinterpret_cast<uintptr_t>(bytes.data()) % alignof(uint16_t) != 0)
        return makeError(name, "", std::nullopt, "the buffer is not aligned to 2 bytes");
    const int64_t context = readInt32(bytes, 8), vocabulary = readInt32(bytes, 12), chunks = readInt32(bytes, 16);
    if (context < 2 || context > kMaxContext)
        return makeError(name, "n_ctx", 8, "context " + std::to_string(context) + " is outside [2, 16777216]");
    if (vocabulary < 1 || vocabulary > kMaxVocabulary)
        return makeError(name, "n_vocab", 12,
                         "vocabulary " + std::to_string(vocabulary) + " is outside [1, 16777216]");
    if (chunks < 1) return makeError(name, "n_chunk", 16, "chunk count " + std::to_string(chunks) + " is not positive");
    // Counts are bounded above, so these products fit; each size is checked against the file's.
    const uint64_t tokenBytes = uint64_t(chunks) * uint64_t(context) * sizeof(int32_t);
    const uint64_t expected = kHeaderBytes + tokenBytes + uint64_t(chunks) * rowsBytesPerChunk(context, vocabulary);
    if (bytes.size() != expected)
        return makeError(name, "size", std::nullopt,
                         "the file has " + std::to_string(bytes.size()) + " bytes; " + std::to_string(chunks) +
                             " chunks of " + std::to_string(context) + " tokens over a vocabulary of " +
                             std::to_string(vocabulary) + " need " + std::to_string(expected));
    SavedLogits saved;
    saved.tokens_.resize(size_t(chunks * context));
    std::memcpy(saved.tokens_.data(), bytes.data() + kHeaderBytes, tokenBytes);
    for (size_t i = 0; i < saved.tokens_.size(); ++i)
        if (saved.tokens_[i] < 0 || saved.tokens_[i] >= vocabulary)
            return makeError(name, "tokens[" + std::to_string(i) + "]", kHeaderBytes + i * sizeof(int32_t),
                             "token id " + std::to_string(saved.tokens_[i]) + " is outside the vocabulary of " +
                                 std::to_string(vocabulary));
    saved.context_ = context;
    saved.vocabulary_ = vocabulary;
    saved.chunks_ = chunks;
    saved.rowsOffset_ = kHeaderBytes + tokenBytes;
    saved.source_ = std::move(source);
    return saved;
}

std::span<const uint16_t> SavedLogits::row(int64_t chunk, int64_t r) const noexcept {
    const uint64_t words = uint64_t(savedRowWords(vocabulary_));
    const uint64_t offset = rowsOffset_ + uint64_t(chunk) * rowsBytesPerChunk(context_, vocabulary_) +
                            uint64_t(r) * words * sizeof(uint16_t);
    const auto bytes = source_->slice(offset, words * sizeof(uint16_t));
    // The rows start at an even offset of a page-aligned map (or an owned buffer), so uint16 reads
    // are aligned.
    return {reinterpret_cast<const uint16_t*>(bytes.data()), bytes.size() / sizeof(uint16_t)};
}

Result<std::unique_ptr<SavedLogitsWriter>> SavedLogitsWriter::create(const std::filesystem::path& path,
                                                                     int64_t context, int64_t vocabulary,
                                                                     int64_t chunks, std::span<const TokenId> tokens,
                                                                     Overwrite overwrite) {
    const std::string name = path.string();
    if (context < 2 || context > kMaxContext || vocabulary < 1 || vocabulary > kMaxVocabulary || chunks < 1 ||
        chunks > INT32_MAX / context || int64_t(tokens.size()) < chunks * context)
        return makeError(name, "", std::nullopt,
                         "cannot save logits of " + std::to_string(chunks) + " chunks of " + std::to_string(context) +
                             " tokens over a vocabulary of " + std::to_string(vocabulary));
    auto file = AtomicFile::create(path, overwrite);
    if (!file) return std::move(file).error();
    std::unique_ptr<SavedLogitsWriter> writer(new SavedLogitsWriter());
    writer->file_ = std::move(*file);
    writer->vocabulary_ = vocabulary;
    const uint64_t tokenBytes = uint64_t(chunks * context) * sizeof(int32_t);
    writer->expectedSize_ = kHeaderBytes + tokenBytes + uint64_t(chunks) * rowsBytesPerChunk(context, vocabulary);
    const int32_t header[3] = {int32_t(context), int32_t(vocabulary), int32_t(chunks)};
    if (Status s = writer->file_->write(std::as_bytes(std::span(kMagic))); !s) return std::move(s).error();
    if (Status s = writer->file_->write(std::as_bytes(std::span(header))); !s) return std::move(s).error();
    static_assert(sizeof(TokenId) == sizeof(int32_t));
    if (Status s = writer->file_->write(std::as_bytes(tokens.first(size_t(chunks * context)))); !s)
        return std::move(s).error();
    return writer;
}

Status SavedLogitsWriter::write(std::span<const uint16_t> rows) { return file_->write(std::as_bytes(rows)); }

Status SavedLogitsWriter::commit() {
    if (file_->position() != expectedSize_)
        return makeError(file_->target().string(), "", std::nullopt,
                         "incomplete logits file: " + std::to_string(file_->position()) + " of " +
                             std::to_string(expectedSize_) + " bytes written");
    return file_->commit();
}

} // namespace matryx
