#include "infer/utf8.h"

namespace matryx {

namespace {

bool isContinuation(unsigned char c) noexcept { return (c & 0xC0) == 0x80; }

} // namespace

size_t utf8SequenceLength(char lead) noexcept {
    static constexpr size_t kLengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return kLengths[static_cast<unsigned char>(lead) >> 4];
}

std::vector<uint32_t> decodeUtf8(std::string_view text) {
    std::vector<uint32_t> cpts;
    cpts.reserve(text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            cpts.push_back(c);
            i += 1;
            continue;
        }
        // The lead byte's high bits alone decide the length; F8..FF and stray continuation
        // bytes start nothing.
        size_t length = 0;
        uint32_t value = 0;
        if ((c & 0xE0) == 0xC0) {
            length = 2;
            value = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            value = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            value = c & 0x07;
        }
        bool complete = length != 0 && i + length <= n;
        for (size_t k = 1; complete && k < length; ++k) {
            if (!isContinuation(s[i + k]))
                complete = false;
            else
                value = (value << 6) | (s[i + k] & 0x3F);
        }
        if (!complete) {
            cpts.push_back(kReplacementCharacter);
            i += 1;
            continue;
        }
        cpts.push_back(value);
        i += length;
    }
    return cpts;
}

void appendUtf8(std::string& out, uint32_t cpt) {
    if (cpt > 0x10FFFF)
        cpt = kReplacementCharacter;
    if (cpt < 0x80) {
        out.push_back(static_cast<char>(cpt));
    } else if (cpt < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cpt >> 6)));
        out.push_back(static_cast<char>(0x80 | (cpt & 0x3F)));
    } else if (cpt < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cpt >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cpt >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cpt & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cpt >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cpt >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cpt >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cpt & 0x3F)));
    }
}

bool isUnicodeWhitespace(uint32_t cpt) noexcept {
    if (cpt < 0x80)
        return cpt == ' ' || (cpt >= 0x09 && cpt <= 0x0D);
    switch (cpt) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
        return true;
    default:
        return cpt >= 0x2000 && cpt <= 0x200A;
    }
}

size_t incompleteUtf8Tail(std::string_view bytes) noexcept {
    // Look back over at most three continuation bytes for the lead byte of the last sequence.
    const size_t n = bytes.size();
    for (size_t back = 1; back <= 4 && back <= n; ++back) {
        const auto c = static_cast<unsigned char>(bytes[n - back]);
        if (isContinuation(c))
            continue;
        size_t expected = 1;
        if ((c & 0xE0) == 0xC0)
            expected = 2;
        else if ((c & 0xF0) == 0xE0)
            expected = 3;
        else if ((c & 0xF8) == 0xF0)
            expected = 4;
        return expected > back ? back : 0;
    }
    return 0;
}

} // namespace matryx
