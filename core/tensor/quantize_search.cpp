#include "tensor/quantize_search.h"

#include "tensor/quantize_kernels.h"
#include "tensor/tables/iq_tables.h"

#include <cmath>
#include <cstring>

namespace matryx::quantizers {

namespace {

// The value with the largest magnitude, the first one on ties.
float signedMax(int n, const float* x) noexcept {
    float max = 0, amax = 0;
    for (int i = 0; i < n; ++i) {
        const float ax = std::fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            max = x[i];
        }
    }
    return amax < kGroupMaxEps ? 0.0f : max;
}

} // namespace

float symmetricScale(int n, int nmax, const float* x, int8_t* L, const float* weights) noexcept {
    const float max = signedMax(n, x);
    if (max == 0.0f) {
        std::memset(L, 0, size_t(n));
        return 0.0f;
    }
    const auto weight = [&](int i) { return weights ? weights[i] : x[i] * x[i]; };
    float iscale = float(-nmax) / max;
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < n; ++i) {
        const int l = cMax(-nmax, cMin(nmax - 1, nearestInt(iscale * x[i])));
        L[i] = int8_t(l + nmax);
        const float w = weight(i);
        sumlx += w * x[i] * float(l);
        suml2 += w * float(l) * float(l);
    }
    float scale = suml2 != 0.0f ? sumlx / suml2 : 0.0f;
    float best = scale * sumlx;
    for (int step = -9; step <= 9; ++step) {
        if (step == 0) continue;
        iscale = -(float(nmax) + 0.1f * float(step)) / max;
        sumlx = suml2 = 0;
        for (int i = 0; i < n; ++i) {
            const int l = cMax(-nmax, cMin(nmax - 1, nearestInt(iscale * x[i])));
            const float w = weight(i);
            sumlx += w * x[i] * float(l);
            suml2 += w * float(l) * float(l);
        }
        if (suml2 > 0 && sumlx * sumlx > best * suml2) {
            for (int i = 0; i < n; ++i)
                L[i] = int8_t(nmax + cMax(-nmax, cMin(nmax - 1, nearestInt(iscale * x[i]))));
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    return scale;
}

float symmetricScaleRefined(int n, int nmax, const float* x, int8_t* L) noexcept {
    const float max = signedMax(n, x);
    if (max == 0.0f) {
        std::memset(L, 0, size_t(n));
        return 0.0f;
    }
    const float iscale = float(-nmax) / max;
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < n; ++i) {
        const int l = cMax(-nmax, cMin(nmax - 1, nearestInt(iscale * x[i])));
        L[i] = int8_t(l);
        const float w = x[i] * x[i];
        sumlx += w * x[i] * float(l);
        suml2 += w * float(l) * float(l);
    }
    for (int round = 0; round < 5; ++round) {
        int changed = 0;
        for (int i = 0; i < n; ++i) {
            const float w = x[i] * x[i];
            float slx = sumlx - w * x[i] * float(L[i]);
            if (slx > 0) {
                float sl2 = suml2 - w * float(L[i]) * float(L[i]);
                const int l = cMax(-nmax, cMin(nmax - 1, nearestInt(x[i] * sl2 / slx)));
                if (l != L[i]) {
                    slx += w * x[i] * float(l);
                    sl2 += w * float(l) * float(l);
                    if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = int8_t(l);
                        sumlx = slx;
                        suml2 = sl2;
                        ++changed;
                    }
                }
            }
        }
        if (!changed) break;
    }
    for (int i = 0; i < n; ++i)
        L[i] = int8_t(L[i] + nmax);
    return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

float affineScale(int n, int nmax, const float* x, const float* weights, uint8_t* L, float* negMin,
                  uint8_t* Laux, float rmin, float rdelta, int nstep, bool absoluteError) noexcept {
    float min = x[0], max = x[0];
    float sumW = weights[0];
    float sumX = sumW * x[0];
    for (int i = 1; i < n; ++i) {
        if (x[i] < min) min = x[i];
        if (x[i] > max) max = x[i];
        sumW += weights[i];
        sumX += weights[i] * x[i];
    }
    if (min > 0) min = 0;
    if (max == min) {
        std::memset(L, 0, size_t(n));
        *negMin = -min;
        return 0.0f;
    }
    const auto error = [absoluteError](float diff) { return absoluteError ? std::fabs(diff) : diff * diff; };
    float iscale = float(nmax) / (max - min);
    float scale = 1 / iscale;
    float bestError = 0;
    for (int i = 0; i < n; ++i) {
        L[i] = uint8_t(cMax(0, cMin(nmax, nearestInt(iscale * (x[i] - min)))));
        bestError += weights[i] * error(scale * float(L[i]) + min - x[i]);
    }
    for (int step = 0; step <= nstep; ++step) {
        iscale = (rmin + rdelta * float(step) + float(nmax)) / (max - min);
        float sumL = 0, sumL2 = 0, sumXL = 0;
        for (int i = 0; i < n; ++i) {
            const int l = cMax(0, cMin(nmax, nearestInt(iscale * (x[i] - min))));
            Laux[i] = uint8_t(l);
            const float w = weights[i];
            sumL += w * float(l);
            sumL2 += w * float(l) * float(l);
            sumXL += w * float(l) * x[i];
        }
        const float D = sumW * sumL2 - sumL * sumL;
        if (D > 0) {
            float thisScale = (sumW * sumXL - sumX * sumL) / D;
            float thisMin = (sumL2 * sumX - sumL * sumXL) / D;
            if (thisMin > 0) {
                thisMin = 0;
                thisScale = sumXL / sumL2;
            }
            float curError = 0;
            for (int i = 0; i < n; ++i)
                curError += weights[i] * error(thisScale * float(Laux[i]) + thisMin - x[i]);
            if (curError < bestError) {
                std::memcpy(L, Laux, size_t(n));
                bestError = curError;
                scale = thisScale;
                min = thisMin;
            }
        }
    }
    *negMin = -min;
    return scale;
}

float affineScaleClamped(int n, int nmax, const float* x, const float* weights, uint8_t* L, float* negMin,
                         uint8_t* Laux, float rmin, float rdelta, int nstep) noexcept {
    float min = x[0], max = x[0];
    float sumW = weights[0];
    float sumX = sumW * x[0];
    for (int i = 1; i < n; ++i) {
        if (x[i] < min) min = x[i];
        if (x[i] > max) max = x[i];
        sumW += weights[i];
        sumX += weights[i] * x[i];
    }
    if (min > 0) min = 0;
    if (max <= min) {
        std::memset(L, 0, size_t(n));
        *negMin = -min;
        return 0.0f;
    }
    float iscale = float(nmax) / (max - min);
    float scale = 1 / iscale;
    float bestError = 0;
    for (int i = 0; i < n; ++i) {
        L[i] = uint8_t(cMax(0, cMin(nmax, nearestInt(iscale * (x[i] - min)))));
        const float diff = scale * float(L[i]) + min - x[i];
        bestError += weights[i] * (diff * diff);
    }
    for (int step = 0; step <= nstep; ++step) {
        iscale = (rmin + rdelta * float(step) + float(nmax)) / (max - min);
        float sumL = 0, sumL2 = 0, sumXL = 0;
        for (int i = 0; i < n; ++i) {
            // The best minimum so far may sit at or near max: v can be huge, infinite or NaN.
            const float v = iscale * (x[i] - min);
            const int l = v > 0 ? nearestInt(cMin(v, float(nmax))) : 0;
            Laux[i] = uint8_t(l);
            const float w = weights[i];
            sumL += w * float(l);
            sumL2 += w * float(l) * float(l);
            sumXL += w * float(l) * x[i];
        }
        const float D = sumW * sumL2 - sumL * sumL;
        if (D > 0) {
            float thisScale = (sumW * sumXL - sumX * sumL) / D;
            float thisMin = (sumL2 * sumX - sumL * sumXL) / D;
            if (thisMin > 0) {
                thisMin = 0;
                thisScale = sumXL / sumL2;
            }
            float curError = 0;
            for (int i = 0; i < n; ++i) {
                const float diff = thisScale * float(Laux[i]) + thisMin - x[i];
                curError += weights[i] * (diff * diff);
            }
            if (curError < bestError) {
                std::memcpy(L, Laux, size_t(n));
                bestError = curError;
                scale = thisScale;
                min = thisMin;
            }
        }
    }
    *negMin = -min;
    return scale;
}

float positiveScale(int n, int nmax, const float* x, uint8_t* L, const float* weights) noexcept {
    float max = 0;
    for (int i = 0; i < n; ++i)
        max = cMax(max, x[i]);
    if (max < kGroupMaxEps) {
        std::memset(L, 0, size_t(n));
        return 0.0f;
    }
    float iscale = float(nmax) / max;
    for (int i = 0; i < n; ++i)
        L[i] = uint8_t(nearestInt(iscale * x[i]));
    const float scale = 1 / iscale;
    float bestMse = 0;
    for (int i = 0; i < n; ++i) {
        const float diff = x[i] - scale * float(L[i]);
        bestMse += weights[i] * diff * diff;
    }
    for (int step = -4; step <= 4; ++step) {
        if (step == 0) continue;
        const float iscaleStep = (0.1f * float(step) + float(nmax)) / max;
        const float scaleStep = 1 / iscaleStep;
        float mse = 0;
        for (int i = 0; i < n; ++i) {
            const int l = cMin(nmax, nearestInt(iscaleStep * x[i]));
            const float diff = x[i] - scaleStep * float(l);
            mse += weights[i] * diff * diff;
        }
        if (mse < bestMse) {
            bestMse = mse;
            iscale = iscaleStep;
        }
    }
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < n; ++i) {
        const int l = cMin(nmax, nearestInt(iscale * x[i]));
        L[i] = uint8_t(l);
        sumlx += weights[i] * x[i] * float(l);
        suml2 += weights[i] * float(l) * float(l);
    }
    for (int round = 0; round < 5; ++round) {
        int changed = 0;
        for (int i = 0; i < n; ++i) {
            const float w = weights[i];
            float slx = sumlx - w * x[i] * float(L[i]);
            float sl2 = suml2 - w * float(L[i]) * float(L[i]);
            if (slx > 0 && sl2 > 0) {
                const int l = cMin(nmax, nearestInt(x[i] * sl2 / slx));
                if (l != L[i]) {
                    slx += w * x[i] * float(l);
                    sl2 += w * float(l) * float(l);
                    if (slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = uint8_t(l);
                        sumlx = slx;
                        suml2 = sl2;
                        ++changed;
                    }
                }
            }
        }
        if (!changed) break;
    }
    return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

float iq4Scale(const float* xb, const float* weight) noexcept {
    const int8_t* values = iq::kIq4nlValues;
    float amax = 0, max = 0;
    for (int j = 0; j < 32; ++j)
        if (std::fabs(xb[j]) > amax) {
            amax = std::fabs(xb[j]);
            max = xb[j];
        }
    if (amax < kGroupMaxEps) return 0;
    float d = -max / float(values[0]);
    float id = 1 / d;
    float sumqx = 0, sumq2 = 0;
    for (int j = 0; j < 32; ++j) {
        const float q = float(values[nearestLevel(16, values, id * xb[j])]);
        sumqx += weight[j] * q * xb[j];
        sumq2 += weight[j] * q * q;
    }
    d = sumq2 > 0 ? sumqx / sumq2 : 0.0f;
    float best = d * sumqx;
    for (int trial = -kIq4Trials; trial <= kIq4Trials; ++trial) {
        id = float(trial + values[0]) / max;
        sumqx = sumq2 = 0;
        for (int j = 0; j < 32; ++j) {
            const float q = float(values[nearestLevel(16, values, id * xb[j])]);
            sumqx += weight[j] * q * xb[j];
            sumq2 += weight[j] * q * q;
        }
        if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
            d = sumqx / sumq2;
            best = d * sumqx;
        }
    }
    return d;
}

} // namespace matryx::quantizers
