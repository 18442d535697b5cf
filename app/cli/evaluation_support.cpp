#include "cli/evaluation_support.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace matryx::cli {

namespace {

// The shipped text: beside an installed binary first, then in the source tree it was built from.
std::filesystem::path shippedText() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed = exe.parent_path().parent_path() / "share/matryx/eval/matryx-eval.txt";
        if (std::filesystem::is_regular_file(installed, ec)) return installed;
    }
    return MATRYX_EVAL_TEXT;
}

} // namespace

void addEvaluationOptions(CLI::App& sub, EvaluationOptions& o) {
    sub.add_option("-f,--text,--file", o.text, "Text to evaluate (default: the shipped evaluation text)");
    sub.add_option("-c,--ctx,--ctx-size", o.context, "Tokens per window")->capture_default_str();
    sub.add_option("--chunks", o.chunks, "Evaluate at most this many windows (0: all)")->capture_default_str();
    sub.add_option("-t,--threads", o.threads, "Threads (0: every core)")->capture_default_str();
    sub.add_option("-b,--batch-size", o.batch, "Tokens per pass through the layers")->capture_default_str();
}

std::optional<std::vector<TokenId>> readEvaluationTokens(const std::string& path, const Tokenizer& tokenizer) {
    const std::filesystem::path file = path.empty() ? shippedText() : std::filesystem::path(path);
    std::ifstream in(file, std::ios::binary);
    if (!in.is_open()) {
        std::fprintf(stderr, "matryx-cli: %s: cannot open the evaluation text\n", file.string().c_str());
        return std::nullopt;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        std::fprintf(stderr, "matryx-cli: %s: cannot read the evaluation text\n", file.string().c_str());
        return std::nullopt;
    }
    // llama.cpp drops one final newline of an -f file; the token count then matches its own.
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return tokenizer.encode(text, true, false);
}

void printPassTime(const char* name, double seconds, int64_t chunks) {
    int total = int(seconds * double(chunks));
    std::fprintf(stderr, "%s: %.2f seconds per pass - ETA ", name, seconds);
    if (total >= 3600) {
        std::fprintf(stderr, "%d hours ", total / 3600);
        total %= 3600;
    }
    std::fprintf(stderr, "%.2f minutes\n", total / 60.0);
}

} // namespace matryx::cli
