// Writes the seed corpus for fuzz_gguf: small valid GGUF files, made with the unit tests'
// byte builder, that reach every part of the reader. Usage: fuzz_gguf_seeds OUTPUT_FOLDER

#include "format/gguf_builder.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

using namespace matryx::test;

void save(const std::filesystem::path& folder, const char* name, const GgufLayout& layout) {
    std::ofstream out(folder / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(layout.bytes.data()),
              static_cast<std::streamsize>(layout.bytes.size()));
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT_FOLDER\n", argv[0]);
        return 2;
    }
    const std::filesystem::path folder = argv[1];
    std::filesystem::create_directories(folder);

    save(folder, "model",
         GgufBuilder()
             .kvString("general.architecture", "llama")
             .kvU32("llama.block_count", 1)
             .kv("tokenizer.ggml.tokens", kArray,
                 GgufBytes().arrayHeader(kString, 3).str("<s>").str("a").str("bc").bytes)
             .kv("tokenizer.ggml.scores", kArray, GgufBytes().arrayHeader(kF32, 2).put(0.5f).put(-1.0f).bytes)
             .tensor("token_embd.weight", 2 /*Q4_0*/, {32, 2}, 36)
             .tensor("output_norm.weight", 0 /*F32*/, {4}, 16)
             .build());
    save(folder, "values",
         GgufBuilder()
             .kv("u8", kU8, GgufBytes().put<uint8_t>(1).bytes)
             .kv("i8", kI8, GgufBytes().put<int8_t>(-1).bytes)
             .kv("u16", kU16, GgufBytes().put<uint16_t>(2).bytes)
             .kv("i16", kI16, GgufBytes().put<int16_t>(-2).bytes)
             .kvU32("u32", 3)
             .kv("i32", kI32, GgufBytes().put<int32_t>(-3).bytes)
             .kv("f32", kF32, GgufBytes().put(1.5f).bytes)
             .kv("bool", kBool, GgufBytes().put<uint8_t>(1).bytes)
             .kvString("str", "x")
             .kv("u64", kU64, GgufBytes().put<uint64_t>(4).bytes)
             .kv("i64", kI64, GgufBytes().put<int64_t>(-4).bytes)
             .kv("f64", kF64, GgufBytes().put(2.5).bytes)
             .build());
    GgufBytes nested;
    nested.arrayHeader(kArray, 2)
        .arrayHeader(kI16, 1)
        .put<int16_t>(5)
        .arrayHeader(kArray, 1)
        .arrayHeader(kString, 1)
        .str("deep");
    save(folder, "nested", GgufBuilder().kv("nested", kArray, nested.bytes).build());
    save(folder, "aligned",
         GgufBuilder()
             .alignment(64)
             .kvU32("general.alignment", 64)
             .tensor("a", 8 /*Q8_0*/, {32}, 34)
             .tensor("b", 12 /*Q4_K*/, {256}, 144)
             .build());
    save(folder, "shapes",
         GgufBuilder()
             .version(2)
             .tensor("scalar", 0, {}, 4)
             .tensor("empty", 1, {0, 3}, 0)
             .tensor("four", 30 /*BF16*/, {2, 1, 2, 1}, 8)
             .build());
    return 0;
}
