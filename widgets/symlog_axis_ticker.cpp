#include "symlog_axis_ticker.h"

#include "tensor/histogram_builder.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace matryx {

SymlogAxisTicker::SymlogAxisTicker(double linthresh) : linthresh_(linthresh > 0 ? linthresh : 1) {
    setTickCount(7);
}

QVector<double> SymlogAxisTicker::createTickVector(double /*tickStep*/, const QCPRange& range) {
    // Candidates are round values; a candidate closer than a fraction of the visible range to
    // the last tick kept is skipped, so labels never overlap however far the user zooms.
    const double lo = inverseSymlog(range.lower, linthresh_);
    const double hi = inverseSymlog(range.upper, linthresh_);
    const double largest = std::max(std::abs(lo), std::abs(hi));
    QVector<double> candidates;
    if (largest > 0 && std::isfinite(largest)) {
        const int top = static_cast<int>(std::ceil(std::log10(largest)));
        for (int e = top - 12; e <= top; ++e)
            for (const double m : {1.0, 2.0, 5.0}) {
                const double v = m * std::pow(10.0, e);
                candidates << symlog(v, linthresh_) << symlog(-v, linthresh_);
            }
    }
    candidates << 0.0;
    std::sort(candidates.begin(), candidates.end());

    const double gap = range.size() / (tickCount() + 1);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QVector<double> ticks;
    // Walk outwards from 0 on each side, so the ticks are symmetric about it when it is visible.
    double last = nan;
    for (const double c : candidates)
        if (c >= std::max(range.lower, 0.0) && c <= range.upper && (std::isnan(last) || c >= last + gap)) {
            ticks << c;
            last = c;
        }
    last = !ticks.isEmpty() && ticks.first() == 0.0 ? 0.0 : nan;
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it)
        if (*it < std::min(range.upper, 0.0) && *it >= range.lower &&
            (std::isnan(last) || *it <= last - gap)) {
            ticks.prepend(*it);
            last = *it;
        }
    return ticks;
}

QString SymlogAxisTicker::getTickLabel(double tick, const QLocale& locale, QChar /*formatChar*/,
                                       int /*precision*/) {
    const double value = inverseSymlog(tick, linthresh_);
    return locale.toString(std::abs(value) < 1e-300 ? 0.0 : value, 'g', 2);
}

} // namespace matryx
