// matryx-tokenize: runs Matryx's tokenizer over a corpus and prints the ids as JSON, for the
// reference check against llama.cpp.
//
//   matryx-tokenize MODEL CORPUS.json [--pre NAME]
//       CORPUS.json is a JSON array of strings. Prints
//       {"items": [{"encode": {"00": [...], "01": ..., "10": ..., "11": ...},
//                   "decode": {"00": "<hex>", ...}}, ...], "warnings": [...]}
//       where encode["AP"] are the ids with addSpecial = A and parseSpecial = P, and
//       decode["RS"] is decode(encode["11"]) with removeSpecial = R and renderSpecial = S, as hex
//       bytes. --pre replaces tokenizer.ggml.pre before the vocabulary is read.
//   matryx-tokenize MODEL --bench TEXT_FILE REPEATS [--pre NAME]
//       Encodes the file's text (no special tokens) REPEATS times after one warm-up run and prints
//       {"tokens": n, "seconds_best": s, "seconds_mean": s}.
// Exit code 2 with the error on stderr.

#include "format/model_reader.h"
#include "infer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

using namespace matryx;
using nlohmann::json;

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "matryx-tokenize: %s\n", message.c_str());
    return 2;
}

std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        out += kDigits[static_cast<unsigned char>(c) >> 4];
        out += kDigits[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

bool readFile(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::stringstream buffer;
    buffer << in.rdbuf();
    out = buffer.str();
    return true;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string pre;
    bool overridePre = false;
    if (const auto it = std::find(args.begin(), args.end(), "--pre"); it != args.end()) {
        if (it + 1 == args.end())
            return fail("--pre needs a name");
        pre = *(it + 1);
        overridePre = true;
        args.erase(it, it + 2);
    }
    const bool bench = args.size() == 4 && args[1] == "--bench";
    if (args.size() != 2 && !bench) {
        std::fprintf(stderr, "usage: matryx-tokenize MODEL CORPUS.json [--pre NAME]\n"
                             "       matryx-tokenize MODEL --bench TEXT_FILE REPEATS [--pre NAME]\n");
        return 2;
    }

    auto model = openModel(args[0]);
    if (!model)
        return fail(model.error().toString());
    if (overridePre)
        model->metadata.set("tokenizer.ggml.pre", MetaValue::string(pre));
    auto vocab = Vocabulary::fromMetadata(model->metadata, args[0]);
    if (!vocab)
        return fail(vocab.error().toString());
    auto tokenizer = makeTokenizer(*vocab);
    if (!tokenizer)
        return fail(tokenizer.error().toString());
    const Tokenizer& tok = **tokenizer;

    if (bench) {
        std::string text;
        if (!readFile(args[2], text))
            return fail("cannot read " + args[2]);
        const int repeats = std::max(1, std::atoi(args[3].c_str()));
        size_t tokens = tok.encode(text, false, false).size();
        double best = 1e300, total = 0;
        for (int i = 0; i < repeats; ++i) {
            const auto start = std::chrono::steady_clock::now();
            tokens = tok.encode(text, false, false).size();
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            best = std::min(best, seconds);
            total += seconds;
        }
        std::printf("%s\n", json{{"tokens", tokens}, {"seconds_best", best}, {"seconds_mean", total / repeats}}
                                .dump()
                                .c_str());
        return 0;
    }

    std::string corpusText;
    if (!readFile(args[1], corpusText))
        return fail("cannot read " + args[1]);
    const json corpus = json::parse(corpusText, nullptr, false);
    if (!corpus.is_array())
        return fail(args[1] + ": expected a JSON array of strings");

    json items = json::array();
    for (const json& entry : corpus) {
        if (!entry.is_string())
            return fail(args[1] + ": expected a JSON array of strings");
        const std::string text = entry.get<std::string>();
        json encoded, decoded;
        for (const bool addSpecial : {false, true})
            for (const bool parseSpecial : {false, true})
                encoded[std::string{addSpecial ? '1' : '0', parseSpecial ? '1' : '0'}] =
                    tok.encode(text, addSpecial, parseSpecial);
        const std::vector<TokenId> ids = tok.encode(text, true, true);
        for (const bool removeSpecial : {false, true})
            for (const bool renderSpecial : {false, true})
                decoded[std::string{removeSpecial ? '1' : '0', renderSpecial ? '1' : '0'}] =
                    hex(tok.decode(ids, {removeSpecial, renderSpecial}));
        items.push_back({{"encode", std::move(encoded)}, {"decode", std::move(decoded)}});
    }
    std::printf("%s\n", json{{"items", std::move(items)}, {"warnings", tok.warnings()}}.dump().c_str());
    return 0;
}
