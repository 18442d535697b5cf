#pragma once

// Statistics of one tensor of any type: what a user looks at before choosing a bit-width.
//
// The tensor is dequantized block by block into a small per-thread buffer (never a full f32
// copy). All statistics are over the finite values; NaN and ±infinity are counted and take no
// other part. With n finite values x and m_k = Σ(x − mean)^k / n:
//   mean = Σx / n;  std = sqrt(m_2) (population, numpy.std's default ddof = 0);
//   excess kurtosis = m_4 / m_2² − 3 (Fisher, no bias correction; 0 for a normal distribution,
//     as scipy.stats.kurtosis(x) computes it); NaN when m_2 = 0;
//   an outlier is a value with |x − mean| > k · std (k from the options);
//   top outliers are the values of largest |x|, ties to the smaller flat index.
// min, max, mean, std and kurtosis are NaN and absMax is 0 when there is no finite value.
//
// Moments are computed exactly the same way whatever the thread count: each fixed chunk of about
// 16 Ki values gets its mean and central sums in double precision, and chunks are merged in
// tensor order with Pébay's pairwise formulas. Every other result is an integer count, an
// extreme or an exact selection. So the whole result is bit-identical for any `threads`.
//
// Two passes over the data: the first gives everything but the outlier count and the
// histograms, which need the mean, std, min or max; the second runs only when those are asked
// for (outlierK > 0 or histogramBins > 0). An exact outlier count in one pass would need every
// value kept; a fine histogram of |x| would only bound it.
//
// Memory: 64 KiB of floats per thread, 56 bytes per chunk, per-row and per-column vectors when
// asked for (plus one per-column vector per thread for tensors with more than one row) and the
// histograms' counters per thread; never a copy of the tensor.
//
// Rows and columns: shape is in ggml order (shape[0] is the contiguous row length). The flat
// element index i is at row i / shape[0] and column i % shape[0]; rows of 3-D and 4-D tensors
// are numbered on through the higher dimensions, as numpy's x.reshape(-1, shape[0]) does.

#include "base/error.h"
#include "base/progress.h"
#include "tensor/histogram_builder.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace matryx {

struct TensorStatsOptions {
    // Bins of each histogram; 0 makes none (and, with outlierK <= 0, saves the second pass).
    int histogramBins = 256;
    // Histogram range; by default [min, max] of the finite values, widened to [v − 0.5, v + 0.5]
    // when all are v (as numpy.histogram does). Values outside a given range are counted in
    // Histogram::below / above.
    std::optional<double> histogramMin;
    std::optional<double> histogramMax;
    bool linearHistogram = true;
    bool symlogHistogram = true;
    // linthresh of the symlog histogram; 0 uses the tensor's std (1 when that is 0).
    double symlogLinthresh = 0;
    // Outlier threshold in standard deviations; <= 0 counts no outliers.
    double outlierK = 6.0;
    // How many values of largest |x| to list; 0 lists none.
    int topK = 32;
    // Per-row and per-column maxima of |x| (vectors as long as the row count and the row length).
    bool rowAbsMax = true;
    bool columnAbsMax = true;
    // OpenMP threads; values below 1 mean 1. The result does not depend on it.
    int threads = 1;

    // Scalars only (no histograms, top outliers or per-row/column vectors): what a whole-model
    // overview needs, a few hundred bytes per tensor.
    static TensorStatsOptions summary();
};

struct OutlierValue {
    uint64_t row = 0;
    uint64_t column = 0;
    float value = 0;
};

struct TensorStats {
    uint64_t elements = 0;
    uint64_t finite = 0;
    uint64_t nan = 0;
    uint64_t infinite = 0; // +inf and −inf

    double min = 0;
    double max = 0;
    double absMax = 0;
    double mean = 0;
    double std = 0;
    double excessKurtosis = 0;

    double outlierK = 0;        // the k used; 0 when outliers were not counted
    uint64_t outliers = 0;      // |x − mean| > outlierK · std
    double outlierFraction = 0; // outliers / finite (0 when there is no finite value)

    std::vector<OutlierValue> topOutliers; // largest |value| first, ties by flat index
    std::vector<float> rowAbsMax;          // one per row, 0 for a row without finite values
    std::vector<float> columnAbsMax;       // one per column (shape[0] entries)

    Histogram linear;           // equal-width bins; empty edges when not made
    Histogram symlog;           // bins equal in symlog(x, symlogLinthresh)
    double symlogLinthresh = 0; // the linthresh used
};

// Statistics of a tensor of `type` with `shape` (ggml order) whose bytes are `data`. Fails
// without a partial result when the type cannot be dequantized, a dimension is negative, the
// element count overflows, a row is not a whole number of blocks, data.size() differs from the
// size of that many elements, or an option is out of range (bins or topK above 2^20, a histogram
// range that is not finite with min < max). Reports progress by fraction of the work done and
// stops with Error::cancelled when `progress` is cancelled. The caller keeps data alive.
Result<TensorStats> computeTensorStats(TensorType type, std::span<const std::byte> data,
                                       std::span<const int64_t> shape, const TensorStatsOptions& options = {},
                                       Progress& progress = Progress::none());

} // namespace matryx
