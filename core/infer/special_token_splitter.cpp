#include "infer/special_token_splitter.h"

#include <algorithm>
#include <map>

namespace matryx {

namespace {

bool isAsciiSpace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

} // namespace

SpecialTokenSplitter::SpecialTokenSplitter(const Vocabulary& vocab, const TokenAttributes& attributes) {
    std::vector<TokenId> order;
    for (size_t i = 0; i < vocab.size(); ++i) {
        const auto id = static_cast<TokenId>(i);
        if (attributes.has(id, kAttrControl | kAttrUserDefined | kAttrUnknown) && !vocab.text(id).empty())
            order.push_back(id);
    }
    // The same unstable sort on the same input as llama.cpp, so that candidates of equal length
    // come in its order too.
    std::sort(order.begin(), order.end(),
              [&](TokenId a, TokenId b) { return vocab.text(a).size() > vocab.text(b).size(); });

    struct BuildNode {
        std::map<unsigned char, uint32_t> children;
        int32_t rank = -1;
    };
    std::vector<BuildNode> build(1);
    for (const TokenId id : order) {
        const std::string_view text = vocab.text(id);
        const auto rank = static_cast<int32_t>(candidates_.size());
        candidates_.push_back({id, static_cast<uint32_t>(text.size()),
                               !attributes.has(id, kAttrControl | kAttrUnknown), attributes.has(id, kAttrLStrip),
                               attributes.has(id, kAttrRStrip)});
        uint32_t node = 0;
        for (const char c : text) {
            const auto byte = static_cast<unsigned char>(c);
            auto it = build[node].children.find(byte);
            if (it == build[node].children.end()) {
                build.emplace_back();
                it = build[node].children.emplace(byte, static_cast<uint32_t>(build.size() - 1)).first;
            }
            node = it->second;
        }
        // A text held by two tokens: the first in priority order takes every occurrence.
        if (build[node].rank < 0)
            build[node].rank = rank;
    }

    nodes_.resize(build.size());
    for (size_t i = 0; i < build.size(); ++i) {
        nodes_[i].rank = build[i].rank;
        nodes_[i].firstChild = static_cast<uint32_t>(edges_.size());
        nodes_[i].childCount = static_cast<uint16_t>(build[i].children.size());
        for (const auto& [byte, node] : build[i].children)
            edges_.push_back({byte, node});
    }
}

const SpecialTokenSplitter::Node* SpecialTokenSplitter::child(const Node& node, unsigned char byte) const noexcept {
    const Edge* begin = edges_.data() + node.firstChild;
    const Edge* end = begin + node.childCount;
    const Edge* it = std::lower_bound(begin, end, byte, [](const Edge& e, unsigned char b) { return e.byte < b; });
    return it != end && it->byte == byte ? &nodes_[it->node] : nullptr;
}

std::vector<TextFragment> SpecialTokenSplitter::split(std::string_view text, bool parseSpecial) const {
    if (text.empty())
        return {};
    struct Occurrence {
        int32_t rank;
        size_t offset;
    };
    std::vector<Occurrence> found;
    if (!candidates_.empty()) {
        for (size_t start = 0; start < text.size(); ++start) {
            const Node* node = &nodes_[0];
            for (size_t i = start; i < text.size(); ++i) {
                node = child(*node, static_cast<unsigned char>(text[i]));
                if (!node)
                    break;
                if (node->rank >= 0 && (parseSpecial || candidates_[static_cast<size_t>(node->rank)].plainText))
                    found.push_back({node->rank, start});
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const Occurrence& a, const Occurrence& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.offset < b.offset;
    });

    // Claimed ranges by start: a special token, or whitespace it swallowed (token -1).
    struct Claim {
        size_t end;
        TokenId token;
    };
    std::map<size_t, Claim> claimed;
    for (const Occurrence& occurrence : found) {
        const Candidate& candidate = candidates_[static_cast<size_t>(occurrence.rank)];
        const size_t begin = occurrence.offset;
        const size_t end = begin + candidate.length;
        auto next = claimed.lower_bound(begin);
        if (next != claimed.end() && next->first < end)
            continue;
        if (next != claimed.begin() && std::prev(next)->second.end > begin)
            continue;
        const size_t leftLimit = next != claimed.begin() ? std::prev(next)->second.end : 0;
        const size_t rightLimit = next != claimed.end() ? next->first : text.size();
        claimed.emplace(begin, Claim{end, candidate.id});
        if (candidate.lstrip) {
            size_t from = begin;
            while (from > leftLimit && isAsciiSpace(text[from - 1]))
                --from;
            if (from < begin)
                claimed.emplace(from, Claim{begin, -1});
        }
        if (candidate.rstrip) {
            size_t to = end;
            while (to < rightLimit && isAsciiSpace(text[to]))
                ++to;
            if (to > end)
                claimed.emplace(end, Claim{to, -1});
        }
    }

    std::vector<TextFragment> fragments;
    size_t position = 0;
    for (const auto& [begin, claim] : claimed) {
        if (begin > position)
            fragments.push_back({position, begin - position, -1});
        if (claim.token >= 0)
            fragments.push_back({begin, claim.end - begin, claim.token});
        position = claim.end;
    }
    if (position < text.size())
        fragments.push_back({position, text.size() - position, -1});
    return fragments;
}

} // namespace matryx
