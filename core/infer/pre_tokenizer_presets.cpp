#include "infer/pre_tokenizer_presets.h"

#include <algorithm>

namespace matryx {

namespace {

// The patterns are the Hugging Face tokenizers' Split regexes in the form llama.cpp runs them
// (case-insensitive groups spelled out, possessive quantifiers made greedy), so that the pieces
// are llama.cpp's pieces.
constexpr std::string_view kGpt2 = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))";
#define CONTRACTIONS R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]))"
constexpr std::string_view kLlama3 =
    CONTRACTIONS R"(|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kQwen2 =
    CONTRACTIONS R"(|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kCjkKana = R"([\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+)";
constexpr std::string_view kCjkHangul = R"([\x{4E00}-\x{9FA5}\x{800}-\x{4E00}\x{AC00}-\x{D7FF}]+)";
constexpr std::string_view kNordicWords = R"( ?[^(\s|.,!?\x{2026}\x{3002}\x{FF0C}\x{3001}\x{964}\x{6D4}\x{60C})]+)";

constexpr std::string_view kDefault[] = {R"([\p{P}\$\+<=>\^~\|]+)", kGpt2, R"(\p{N}+)", "[0-9][0-9][0-9]"};
constexpr std::string_view kLlama3Set[] = {kLlama3};
constexpr std::string_view kJais2[] = {
    CONTRACTIONS R"(|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+)"
                 R"(|\s{512}(?!\S)|\s{256}(?!\S)|\s{128}(?!\S)|\s{64}(?!\S)|\s{32}(?!\S)|\s{16}(?!\S))"
                 R"(|\s{8}(?!\S)|\s{4}(?!\S)|\s{1,2}(?!\S)|\s{1})"};
constexpr std::string_view kDeepseekLlm[] = {
    R"([\r\n])",
    R"(\s?[A-Za-z\x{B5}\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{1BA}\x{1BC}-\x{1BF}\x{1C4}-\x{293}\x{295}-\x{2AF})"
    R"(\x{370}-\x{373}\x{376}\x{377}\x{37B}-\x{37D}\x{37F}\x{386}\x{388}-\x{38A}\x{38C}\x{38E}-\x{3A1})"
    R"(\x{3A3}-\x{3F5}\x{3F7}-\x{481}\x{48A}-\x{52F}\x{531}-\x{556}\x{10A0}-\x{10C5}\x{13A0}-\x{13F5})"
    R"(\x{13F8}-\x{13FD}\x{1C90}-\x{1CBA}\x{1CBD}-\x{1CBF}\x{1D00}-\x{1D2B}\x{1D6B}-\x{1D77}\x{1D79}-\x{1D9A})"
    R"(\x{1E00}-\x{1F15}\x{1F18}-\x{1F1D}\x{1F20}-\x{1F45}\x{1F48}-\x{1F4D}\x{1F50}-\x{1F57}\x{1F59}\x{1F5B})"
    R"(\x{1F5D}\x{1F5F}-\x{1F7D}\x{1F80}-\x{1FB4}\x{1FB6}-\x{1FBC}\x{1FBE}\x{1FC2}-\x{1FC4}\x{1FC6}-\x{1FCC})"
    R"(\x{1FD0}-\x{1FD3}\x{1FD6}-\x{1FDB}\x{1FE0}-\x{1FEC}\x{1FF2}-\x{1FF4}\x{1FF6}-\x{1FFC}\x{2102}\x{2107})"
    R"(\x{210A}-\x{2113}\x{2115}\x{2119}-\x{211D}\x{2124}\x{2126}\x{2128}\x{212A}-\x{212D}\x{212F}-\x{2134})"
    R"(\x{2139}\x{213C}-\x{213F}\x{2145}-\x{2149}\x{214E}\x{2183}\x{2184}\x{2C00}-\x{2C7B}\x{2C7E}-\x{2CE4})"
    R"(\x{2CEB}-\x{2CEE}\x{2CF2}\x{2CF3}\x{A640}-\x{A66D}\x{A680}-\x{A69B}\x{A722}-\x{A76F}\x{A771}-\x{A787})"
    R"(\x{A78B}-\x{A78E}\x{AB70}-\x{ABBF}\x{FB00}-\x{FB06}\x{FB13}-\x{FB17}\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A})"
    R"(\x{10400}-\x{1044F}\x{104B0}-\x{104D3}\x{104D8}-\x{104FB}\x{10C80}-\x{10CB2}\x{10CC0}-\x{10CF2})"
    R"(\x{118A0}-\x{118DF}\x{1E900}-\x{1E943}]+)",
    R"(\s?[!-/:-~\x{FF01}-\x{FF0F}\x{FF1A}-\x{FF5E}\x{2018}-\x{201F}\x{3000}-\x{3002}]+)",
    R"(\s+$)",
    kCjkHangul,
    R"(\p{N}+)",
};
constexpr std::string_view kDeepseekV3[] = {
    R"(\p{N}{1,3})",
    kCjkKana,
    R"([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+)"
    R"(| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
};
constexpr std::string_view kSpark25[] = {
    R"(\p{N}{1,3})",
    kCjkKana,
    R"([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+)"
    R"(| ?[\p{P}\p{S}]+|[\r\n]|\s+(?!\S)|\s+)",
    R"(\p{N})",
};
#define LETTER_WORDS_APOS(UPPER, LOWER)                                                                        \
    R"([^\r\n\p{L}\p{N}]?)" UPPER "*" LOWER "+" CONTRACTIONS "?" R"(|[^\r\n\p{L}\p{N}]?)" UPPER "+" LOWER       \
    "*" CONTRACTIONS "?"
constexpr std::string_view kYoutu[] = {
    R"([\x{AC00}-\x{D7A3}\x{3131}-\x{318E}]+|[\x{FF01}\x{2026}\x{201C}\x{201D}\x{2018}\x{2019}\x{2014}\x{FF1A})"
    R"(\x{FF1B}\x{FF0C}\x{3001}-\x{303F}\x{FE30}-\x{FE4F}]+|[\x{3105}-\x{312F}]+|)"
    R"([\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+)",
    LETTER_WORDS_APOS(R"([\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}])", R"([\p{Ll}\p{Lm}\p{Lo}\p{M}])")
    R"(|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
};
constexpr std::string_view kDeepseekCoder[] = {
    R"([\r\n])", R"(\s?\p{L}+)", R"(\s?\p{P}+)", kCjkHangul, R"(\p{N})",
};
constexpr std::string_view kFalcon[] = {R"([\p{P}\$\+<=>\^~\|`]+)", kGpt2, "[0-9][0-9][0-9]"};
constexpr std::string_view kStarcoder[] = {R"(\p{N})", kGpt2};
constexpr std::string_view kGpt2Set[] = {kGpt2};
constexpr std::string_view kQwen2Set[] = {kQwen2};
constexpr std::string_view kQwen35[] = {
    CONTRACTIONS R"(|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"};
constexpr std::string_view kPoro[] = {kNordicWords};
constexpr std::string_view kViking[] = {kNordicWords, R"(\p{N})"};
// Upper-then-lower letter runs; llama.cpp spells \p{Lu} and \p{Ll} as "a letter that is not a-z"
// and "a letter that is not A-Z".
#define NOT_LOWER R"(((?=[\p{L}])([^a-z])))"
#define NOT_UPPER R"(((?=[\p{L}])([^A-Z])))"
constexpr std::string_view kTekken[] = {
    R"([^\r\n\p{L}\p{N}]?)" NOT_LOWER "*" NOT_UPPER "+" R"(|[^\r\n\p{L}\p{N}]?)" NOT_LOWER "+" NOT_UPPER "*"
    R"(|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)"};
constexpr std::string_view kChameleon[] = {
    "<sentinel:[0-9]+>", "(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z", "([\\t\\n]|    |  )", R"(\p{N})",
    R"([\p{P}!-/:-@\[-`{-~])", kGpt2,
};
constexpr std::string_view kGpt4o[] = {
    LETTER_WORDS_APOS(NOT_LOWER, NOT_UPPER) R"(|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)"};
constexpr std::string_view kGraniteEmbMulti[] = {
    LETTER_WORDS_APOS(R"(((?=[\p{L}\p{M}])([^a-z])))", R"(((?=[\p{L}\p{M}])([^A-Z])))")
    R"(|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)"};
constexpr std::string_view kSuperBpe[] = {R"(\p{N}+)", R"((?=(\d{3})+(?!\d)))"};
constexpr std::string_view kBailingMoe[] = {
    R"('(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*)"
    R"(|\s*[\r\n]|\s+(?!\S)|\s+)"};
constexpr std::string_view kSeedCoder[] = {
    CONTRACTIONS R"(|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+)"};
constexpr std::string_view kUfakzeka[] = {
    R"([^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"};
constexpr std::string_view kLaguna[] = {R"([^\n]+|[\n]+)", kQwen2};
constexpr std::string_view kExaoneMoe[] = {
    CONTRACTIONS R"(|[^\r\n\p{L}\p{N}]?(?:\p{L}\p{M}*(?: \p{L}\p{M}*)*)+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]?)"
                 R"(|\s*[\r\n]|\s+(?!\S)|\s+)"};
constexpr std::string_view kMiniCpm5[] = {
    R"(\p{N}{1,3})",
    CONTRACTIONS R"(|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}+| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"};

#undef CONTRACTIONS
#undef LETTER_WORDS_APOS
#undef NOT_LOWER
#undef NOT_UPPER

// One row per tokenizer.ggml.pre value, as llama.cpp's load() maps them.
const PreTokenizerPreset kPresets[] = {
    {"default", kDefault},
    {"llama3", kLlama3Set, true, true, true},
    {"llama-v3", kLlama3Set, true, true, true},
    {"llama-bpe", kLlama3Set, true, true, true},
    {"falcon3", kLlama3Set, true, true, true},
    {"falcon-h1", kLlama3Set, true, true, true},
    {"pixtral", kLlama3Set, true, true, true},
    {"midm-2.0", kLlama3Set, true, true, true},
    {"lfm2", kLlama3Set, true, true, true},
    {"jina-v5-nano", kLlama3Set, true, true, true},
    {"jais-2", kJais2},
    {"dbrx", kLlama3Set},
    {"smaug-bpe", kLlama3Set},
    {"deepseek-llm", kDeepseekLlm, false},
    {"deepseek-coder", kDeepseekCoder, false},
    {"deepseek-v3", kDeepseekV3, false},
    {"hunyuan-dense", kDeepseekV3, false},
    {"joyai-llm", kDeepseekV3, false},
    {"hy_v4", kDeepseekV3, false},
    {"spark2_5", kSpark25, false},
    {"youtu", kYoutu, false, true},
    {"falcon", kFalcon},
    {"starcoder", kStarcoder},
    {"refact", kStarcoder},
    {"command-r", kStarcoder, false},
    {"smollm", kStarcoder, false},
    {"codeshell", kStarcoder},
    {"exaone", kStarcoder},
    {"minerva-7b", kStarcoder},
    {"mellum2", kStarcoder},
    {"gpt-2", kGpt2Set},
    {"phi-2", kGpt2Set},
    {"jina-es", kGpt2Set},
    {"jina-de", kGpt2Set},
    {"gigachat", kGpt2Set},
    {"jina-v2-es", kGpt2Set},
    {"jina-v2-de", kGpt2Set},
    {"a.x-4.0", kGpt2Set},
    {"mellum", kGpt2Set},
    {"modern-bert", kGpt2Set},
    {"jina-v1-en", kGpt2Set},
    {"jina-v2-code", kGpt2Set},
    {"roberta-bpe", kGpt2Set},
    {"exaone4", kGpt2Set},
    {"mpt", kGpt2Set},
    {"olmo", kGpt2Set},
    {"jais", kGpt2Set},
    {"trillion", kGpt2Set, false},
    {"granite-docling", kGpt2Set, false},
    {"qwen2", kQwen2Set, false},
    {"deepseek-r1-qwen", kQwen2Set, false},
    {"kormo", kQwen2Set, false},
    {"f2llmv2", kQwen2Set, false},
    {"megrez", kQwen2Set},
    {"stablelm2", kQwen2Set},
    {"hunyuan", kQwen2Set, false},
    {"solar-open", kQwen2Set, false},
    {"grok-2", kQwen2Set, false},
    {"qwen35", kQwen35, false},
    {"poro-chat", kPoro, false},
    {"bloom", kPoro},
    {"gpt3-finnish", kPoro},
    {"viking", kViking, false},
    {"chatglm-bpe", kLlama3Set, true, false, false, true},
    {"glm4", kLlama3Set, true, true, false, true},
    {"glm5", kLlama3Set, true, true, false, true},
    {"tekken", kTekken, false, true, true},
    {"chameleon", kChameleon, false, false, true},
    {"gpt-4o", kGpt4o, false},
    {"llama4", kGpt4o, false},
    {"kanana2", kGpt4o, false},
    {"talkie", kGpt4o, false},
    {"minimax-m2", kGpt4o, false},
    {"granite-embed-multi-97m", kGraniteEmbMulti, false, true},
    {"superbpe", kSuperBpe, false},
    {"bailingmoe", kBailingMoe, false},
    {"bailingmoe2", kBailingMoe, false},
    {"llada-moe", kBailingMoe, false},
    {"seed-coder", kSeedCoder, false},
    {"ufakzeka", kUfakzeka, false},
    {"laguna", kLaguna, false},
    {"exaone-moe", kExaoneMoe},
    {"minicpm5", kMiniCpm5, true, true},
};

constexpr std::string_view kUnsupported[] = {
    "kimi-k2", "afmoe", "tiny_aya", "cohere2moe", "gemma4", "granite-embed-multi-311m",
    "mmbert", "sarvam-moe", "whitespace",
};

} // namespace

const PreTokenizerPreset* findPreTokenizerPreset(std::string_view pre) noexcept {
    if (pre.empty())
        pre = "default";
    for (const auto& preset : kPresets)
        if (preset.name == pre)
            return &preset;
    return nullptr;
}

bool isUnsupportedPreTokenizer(std::string_view pre) noexcept {
    return std::find(std::begin(kUnsupported), std::end(kUnsupported), pre) != std::end(kUnsupported);
}

} // namespace matryx
