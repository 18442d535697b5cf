// matryx-cli chat MODEL [--system TEXT] [-n N] [--temp T] [--top-k K] [--top-p P] [--min-p P]
//                 [--repeat-penalty R] [--seed S] [-t N] [-c N]
// An interactive conversation: each line read from stdin is a user message; the model's answer
// streams to stdout, its speed goes to stderr. The conversation is rendered with the model's chat
// template (ChatML when it has none or one Matryx cannot run, with a note on stderr), and the
// KV cache keeps what the previous turns already evaluated. /reset starts over, /exit (or the end
// of input) quits; Ctrl-C stops the answer being written.

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/generation_support.h"
#include "infer/chat_template.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace matryx::cli {

namespace {

struct ChatOptions {
    std::string path;
    std::string system;
    int64_t tokens = -1;
    SamplerSettings sampling;
    int64_t seed = -1;
    int threads = 0;
    int64_t context = 0;
};

int fail(const Error& error, int code) {
    std::fprintf(stderr, "matryx-cli: %s\n", error.toString().c_str());
    return code;
}

int runChat(ChatOptions o) {
    SessionOptions sessionOptions;
    sessionOptions.contextSize = o.context;
    sessionOptions.threads = o.threads;
    int exitCode = 0;
    auto loaded = openForGeneration(o.path, sessionOptions, exitCode);
    if (!loaded) return exitCode;
    const Vocabulary& vocabulary = loaded->vocabulary;
    const Tokenizer& tok = *loaded->tokenizer;
    Generator generator(loaded->session, tok);

    ChatRenderOptions render;
    render.addGenerationPrompt = true;
    if (vocabulary.bos) render.bosToken = std::string(vocabulary.text(*vocabulary.bos));
    if (vocabulary.eos) render.eosToken = std::string(vocabulary.text(*vocabulary.eos));
    GenerationSettings settings;
    settings.maxTokens = o.tokens;
    settings.sampling = o.sampling;
    settings.sampling.seed = chosenSeed(o.seed);

    std::vector<ChatMessage> messages;
    if (!o.system.empty()) messages.push_back({"system", o.system});
    const size_t keep = messages.size();
    bool warned = false;
    std::fprintf(stderr, "chatting with %s; /reset starts over, /exit quits\n", o.path.c_str());
    std::string line;
    while (true) {
        std::fputs("> ", stdout);
        std::fflush(stdout);
        if (!std::getline(std::cin, line) || line == "/exit") break;
        if (line == "/reset") {
            messages.resize(keep);
            generator.reset();
            std::fputs("(conversation reset)\n", stderr);
            continue;
        }
        if (line.empty()) continue;
        messages.push_back({"user", line});
        auto prompt = ChatTemplate::renderWithFallback(vocabulary.chatTemplate, messages, render);
        if (!prompt) return fail(prompt.error(), kExitFailure);
        if (prompt->usedFallback && !warned) {
            std::fprintf(stderr, "note: using ChatML: %s\n", prompt->fallbackReason.c_str());
            warned = true;
        }
        // A template that writes the BOS token itself gets no second one.
        const bool bosInText = !render.bosToken.empty() && prompt->text.starts_with(render.bosToken);
        const std::vector<TokenId> ids = tok.encode(prompt->text, !bosInText, true);

        Progress progress;
        auto result = [&] {
            const InterruptCancels interrupt(progress);
            return generator.generate(ids, settings, printPiece, progress);
        }();
        std::fputs("\n", stdout);
        if (!result) {
            std::fprintf(stderr, "matryx-cli: %s\n", result.error().toString().c_str());
            messages.pop_back();
            continue;
        }
        messages.push_back({"assistant", result->text});
        const double speed = result->generateSeconds > 0 ? double(result->tokens.size()) / result->generateSeconds : 0;
        std::fprintf(stderr, "[%zu tokens, %.1f tokens/s; prompt %lld new tokens; %s%s%s]\n", result->tokens.size(),
                     speed, static_cast<long long>(result->promptTokens), stopReasonName(result->reason),
                     result->message.empty() ? "" : ": ", result->message.c_str());
        if (result->reason == StopReason::ContextFull) {
            std::fputs("(the context is full: /reset to start over)\n", stderr);
        }
    }
    return 0;
}

} // namespace

Command addChatCommand(CLI::App& app) {
    auto o = std::make_shared<ChatOptions>();
    auto* sub = app.add_subcommand("chat", "Talk with the model in the terminal");
    sub->add_option("MODEL", o->path, "GGUF file, safetensors file or Hugging Face folder")->required();
    sub->add_option("--system", o->system, "System message");
    sub->add_option("-n,--n-predict", o->tokens, "Tokens per answer at most (-1: no limit)")->capture_default_str();
    addSamplingOptions(*sub, o->sampling, o->seed);
    sub->add_option("-t,--threads", o->threads, "Threads (0: every core)")->capture_default_str();
    sub->add_option("-c,--ctx-size", o->context, "Context size in tokens (0: the model's, at most 4096)")
        ->capture_default_str();
    return [o] { return runChat(*o); };
}

} // namespace matryx::cli
