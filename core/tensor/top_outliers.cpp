#include "tensor/top_outliers.h"

#include "tensor/stats_kernels.h"

#include <algorithm>
#include <cmath>

namespace matryx {

namespace {

bool better(const TopOutliers::Entry& a, const TopOutliers::Entry& b) noexcept {
    const float fa = std::fabs(a.value);
    const float fb = std::fabs(b.value);
    return fa > fb || (fa == fb && a.index < b.index);
}

// Values are screened a block at a time with the vectorized maximum; only blocks that hold a
// candidate are walked one by one.
constexpr size_t kScreenBlock = 64;

} // namespace

float TopOutliers::threshold() const noexcept {
    return heap_.size() < k_ ? -1.0f : std::fabs(heap_.front().value);
}

void TopOutliers::offer(float value, uint64_t index) noexcept {
    if (!std::isfinite(value) || k_ == 0) return;
    const Entry e{value, index};
    if (heap_.size() < k_) {
        heap_.push_back(e);
        std::push_heap(heap_.begin(), heap_.end(), better);
        return;
    }
    if (!better(e, heap_.front())) return;
    std::pop_heap(heap_.begin(), heap_.end(), better);
    heap_.back() = e;
    std::push_heap(heap_.begin(), heap_.end(), better);
}

void TopOutliers::add(const float* x, size_t n, uint64_t firstIndex) noexcept {
    if (k_ == 0) return;
    for (size_t b = 0; b < n; b += kScreenBlock) {
        const size_t len = std::min(kScreenBlock, n - b);
        float limit = threshold();
        if (stats_kernels::maxAbs(x + b, len) < limit) continue;
        for (size_t i = b; i < b + len; ++i)
            if (std::fabs(x[i]) >= limit) {
                offer(x[i], firstIndex + i);
                limit = threshold();
            }
    }
}

void TopOutliers::merge(const TopOutliers& other) noexcept {
    for (const Entry& e : other.heap_)
        offer(e.value, e.index);
}

std::vector<TopOutliers::Entry> TopOutliers::sorted() const {
    std::vector<Entry> out = heap_;
    std::sort(out.begin(), out.end(), better);
    return out;
}

} // namespace matryx
