#include "infer/byte_level_encoding.h"

#include "infer/utf8.h"

#include <array>
#include <cstdint>
#include <cstdio>

namespace matryx {

namespace {

bool standsForItself(unsigned byte) noexcept {
    return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || (byte >= 0xAE && byte <= 0xFF);
}

struct Alphabet {
    std::array<std::string, 256> charOf;
    std::array<int, 0x144> byteOf{}; // code point -> byte, -1 outside the alphabet

    Alphabet() {
        byteOf.fill(-1);
        unsigned next = 0x100;
        for (unsigned b = 0; b < 256; ++b) {
            const uint32_t cpt = standsForItself(b) ? b : next++;
            appendUtf8(charOf[b], cpt);
            byteOf[cpt] = static_cast<int>(b);
        }
    }
};

const Alphabet& alphabet() {
    static const Alphabet table;
    return table;
}

} // namespace

std::string_view byteLevelChar(unsigned char byte) noexcept { return alphabet().charOf[byte]; }

void appendByteLevel(std::string& out, std::string_view bytes) {
    const auto& table = alphabet();
    for (const char c : bytes)
        out += table.charOf[static_cast<unsigned char>(c)];
}

std::string decodeByteLevel(std::string_view token) {
    const auto& table = alphabet();
    std::string out;
    for (const uint32_t cpt : decodeUtf8(token)) {
        if (cpt < table.byteOf.size() && table.byteOf[cpt] >= 0) {
            out.push_back(static_cast<char>(table.byteOf[cpt]));
            continue;
        }
        std::string utf8;
        appendUtf8(utf8, cpt);
        out += "[UNK_BYTE_0x";
        for (const char c : utf8) {
            char hex[3];
            std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(c));
            out += hex;
        }
        out += token;
        out += ']';
    }
    return out;
}

} // namespace matryx
