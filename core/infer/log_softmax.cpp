#include "infer/log_softmax.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace matryx {

RowSoftmax rowSoftmax(std::span<const float> logits) {
    RowSoftmax r;
    r.maxLogit = logits[0];
    for (size_t i = 1; i < logits.size(); ++i)
        if (logits[i] > r.maxLogit) {
            r.maxLogit = logits[i];
            r.argmax = int64_t(i);
        }
    // Each term is a float exp added into a double, as llama.cpp adds them: the last digits of a
    // perplexity then match its output.
    double sum = 0.0;
    for (float v : logits) sum += std::exp(v - r.maxLogit);
    r.sumExp = sum;
    return r;
}

double tokenLogProbability(std::span<const float> logits, TokenId token) {
    const RowSoftmax r = rowSoftmax(logits);
    return double(logits[size_t(token)] - r.maxLogit) - std::log(r.sumExp);
}

int64_t savedRowWords(int64_t vocabulary) { return 2 * ((vocabulary + 1) / 2) + 4; }

double saveLogProbabilities(std::span<const float> logits, TokenId token, std::span<uint16_t> row) {
    const RowSoftmax r = rowSoftmax(logits);
    float minLogit = *std::min_element(logits.begin(), logits.end());
    minLogit = std::max(minLogit, r.maxLogit - 16.0f);
    const float logSumExp = float(std::log(r.sumExp));
    const SavedRowHeader header{(r.maxLogit - minLogit) / 65535.0f, minLogit - r.maxLogit - logSumExp};
    std::memcpy(row.data(), &header.scale, sizeof(float));
    std::memcpy(row.data() + 2, &header.minLogProb, sizeof(float));
    uint16_t* values = row.data() + 4;
    std::fill(values, row.data() + row.size(), uint16_t(0));
    if (header.scale != 0.0f) {
        const float inverse = 1.0f / header.scale;
        // lrintf rounds half to even, as the float trick in llama.cpp does; the value is in [0, 65535].
        for (size_t i = 0; i < logits.size(); ++i)
            if (logits[i] > minLogit) values[i] = uint16_t(std::min(std::lrintf(inverse * (logits[i] - minLogit)), 65535L));
    }
    return double(r.maxLogit + logSumExp - logits[size_t(token)]);
}

SavedRowHeader savedRowHeader(std::span<const uint16_t> row) {
    SavedRowHeader h;
    std::memcpy(&h.scale, row.data(), sizeof(float));
    std::memcpy(&h.minLogProb, row.data() + 2, sizeof(float));
    return h;
}

} // namespace matryx
