#pragma once

// The k values of largest magnitude among those offered, with their flat element index. Ties in
// |value| go to the smaller index, so the chosen set is the same whatever order values arrive
// in: collectors filled by different threads merge to exactly what one collector would hold.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace matryx {

class TopOutliers {
public:
    struct Entry {
        float value;
        uint64_t index;
    };

    explicit TopOutliers(size_t k) : k_(k) { heap_.reserve(k); }

    // Offers x[i] with index firstIndex + i for every finite x[i] of x[0, n).
    void add(const float* x, size_t n, uint64_t firstIndex) noexcept;
    void merge(const TopOutliers& other) noexcept;
    // Largest |value| first, then smaller index first.
    std::vector<Entry> sorted() const;
    // Values with |x| below this cannot enter; −1 while fewer than k are held.
    float threshold() const noexcept;

private:
    void offer(float value, uint64_t index) noexcept;

    size_t k_;
    std::vector<Entry> heap_; // the worst held entry on top
};

} // namespace matryx
