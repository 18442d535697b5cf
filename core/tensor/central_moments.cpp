#include "tensor/central_moments.h"

#include "tensor/kernel_target.h"

#include <cmath>
#include <limits>

namespace matryx {

void CentralMoments::merge(const CentralMoments& o) noexcept {
    if (o.count == 0) return;
    if (count == 0) {
        *this = o;
        return;
    }
    const double na = double(count);
    const double nb = double(o.count);
    const double n = na + nb;
    const double delta = o.mean - mean;
    const double d_n = delta / n;
    const double d_n2 = d_n * d_n;
    const double cross = na * nb * delta * d_n; // na·nb·δ²/n
    // Each line uses only the old m2/m3 of both sides, so the order of the updates matters.
    m4 = m4 + o.m4 + cross * d_n2 * (na * na - na * nb + nb * nb) +
         6.0 * d_n2 * (na * na * o.m2 + nb * nb * m2) + 4.0 * d_n * (na * o.m3 - nb * m3);
    m3 = m3 + o.m3 + cross * d_n * (na - nb) + 3.0 * d_n * (na * o.m2 - nb * m2);
    m2 = m2 + o.m2 + cross;
    mean = mean + d_n * nb;
    count += o.count;
}

double CentralMoments::variance() const noexcept {
    return count == 0 ? std::numeric_limits<double>::quiet_NaN() : m2 / double(count);
}

double CentralMoments::standardDeviation() const noexcept {
    return std::sqrt(variance());
}

double CentralMoments::excessKurtosis() const noexcept {
    if (count == 0 || m2 == 0) return std::numeric_limits<double>::quiet_NaN();
    return double(count) * m4 / (m2 * m2) - 3.0;
}

// Eight independent lanes let the compiler keep the sums in vector registers without
// reassociating anything itself (no -ffast-math): the lane order, and so the result, is fixed.
MATRYX_KERNEL CentralMoments centralMomentsOf(const float* x, size_t n) noexcept {
    CentralMoments r;
    if (n == 0) return r;
    constexpr size_t L = 8;
    const size_t whole = n - n % L;

    double s[L] = {};
    for (size_t i = 0; i < whole; i += L)
        for (size_t j = 0; j < L; ++j)
            s[j] += double(x[i + j]);
    double sum = 0;
    for (size_t j = 0; j < L; ++j)
        sum += s[j];
    for (size_t i = whole; i < n; ++i)
        sum += double(x[i]);
    const double mean = sum / double(n);

    double a2[L] = {}, a3[L] = {}, a4[L] = {};
    for (size_t i = 0; i < whole; i += L)
        for (size_t j = 0; j < L; ++j) {
            const double d = double(x[i + j]) - mean;
            const double d2 = d * d;
            a2[j] += d2;
            a3[j] += d2 * d;
            a4[j] += d2 * d2;
        }
    double m2 = 0, m3 = 0, m4 = 0;
    for (size_t j = 0; j < L; ++j) {
        m2 += a2[j];
        m3 += a3[j];
        m4 += a4[j];
    }
    for (size_t i = whole; i < n; ++i) {
        const double d = double(x[i]) - mean;
        const double d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    r.count = n;
    r.mean = mean;
    r.m2 = m2;
    r.m3 = m3;
    r.m4 = m4;
    return r;
}

} // namespace matryx
