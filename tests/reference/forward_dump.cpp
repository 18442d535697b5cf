// matryx-forward: runs Matryx's forward pass on given token ids, for the reference check against
// llama.cpp.
//
//   matryx-forward MODEL --tokens IDS [--threads N] [--batch B] [--context C]
//                  [--logits FILE] [--greedy N]
//       IDS is a comma-separated list of token ids. Evaluates them in one call (batches of B).
//       --logits FILE  writes the logits of every token, rows x vocabulary little-endian f32.
//       --greedy N     then appends N tokens, each the argmax (lowest id on ties) of the last
//                      logits, evaluated one at a time.
//       Prints {"rows": r, "vocabulary": v, "greedy": [...], "prompt_seconds": s,
//               "decode_seconds": s}.
// Exit code 2 with the error on stderr.

#include "infer/inference_model.h"
#include "infer/inference_session.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace matryx;

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "matryx-forward: %s\n", message.c_str());
    return 2;
}

bool parseIds(const std::string& text, std::vector<TokenId>& ids) {
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = std::min(text.find(',', start), text.size());
        try {
            ids.push_back(TokenId(std::stol(text.substr(start, end - start))));
        } catch (const std::exception&) {
            return false;
        }
        start = end + 1;
    }
    return !ids.empty();
}

size_t argmax(std::span<const float> row) {
    return size_t(std::max_element(row.begin(), row.end()) - row.begin());
}

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: matryx-forward MODEL --tokens IDS [--threads N] [--batch B] [--context C] "
                             "[--logits FILE] [--greedy N]\n");
        return 2;
    }
    const std::string path = argv[1];
    std::vector<TokenId> tokens;
    std::string logitsFile;
    int64_t greedy = 0;
    SessionOptions options;
    options.threads = 2;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) return fail(arg + " needs a value");
        const std::string value = argv[++i];
        try {
            if (arg == "--tokens") {
                if (!parseIds(value, tokens)) return fail("--tokens: not a list of ids: " + value);
            } else if (arg == "--threads") {
                options.threads = std::stoi(value);
            } else if (arg == "--batch") {
                options.batchSize = std::stoll(value);
            } else if (arg == "--context") {
                options.contextSize = std::stoll(value);
            } else if (arg == "--logits") {
                logitsFile = value;
            } else if (arg == "--greedy") {
                greedy = std::stoll(value);
            } else {
                return fail("unknown option " + arg);
            }
        } catch (const std::exception&) {
            return fail(arg + ": not a number: " + value);
        }
    }
    if (tokens.empty()) return fail("--tokens is required");

    auto model = InferenceModel::open(path);
    if (!model) return fail(model.error().toString());
    if (options.contextSize == 0) options.contextSize = int64_t(tokens.size()) + std::max<int64_t>(greedy, 1);
    auto session = InferenceSession::create(*model, options);
    if (!session) return fail(session.error().toString());

    auto start = std::chrono::steady_clock::now();
    auto logits = session->evaluate(tokens, 0, logitsFile.empty() ? LogitsMode::Last : LogitsMode::All);
    if (!logits) return fail(logits.error().toString());
    const double promptSeconds = seconds(start);
    if (!logitsFile.empty()) {
        std::ofstream out(logitsFile, std::ios::binary);
        out.write(reinterpret_cast<const char*>(logits->values.data()),
                  std::streamsize(logits->values.size() * sizeof(float)));
        if (!out) return fail("cannot write " + logitsFile);
    }

    std::vector<TokenId> generated;
    TokenId next = TokenId(argmax(logits->row(logits->rows - 1)));
    start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < greedy; ++i) {
        generated.push_back(next);
        if (i + 1 == greedy) break;
        const TokenId one[] = {next};
        auto step = session->evaluate(one, session->position(), LogitsMode::Last);
        if (!step) return fail(step.error().toString());
        next = TokenId(argmax(step->row(0)));
    }
    const double decodeSeconds = seconds(start);

    const nlohmann::json result = {{"rows", logits->rows},
                                   {"vocabulary", logits->vocabulary},
                                   {"greedy", generated},
                                   {"prompt_seconds", promptSeconds},
                                   {"decode_seconds", decodeSeconds}};
    std::printf("%s\n", result.dump().c_str());
    return 0;
}
