#pragma once

// Statistics of the activations that enter each weight matrix, gathered while calibration text
// runs through the forward pass (activation_capture_runner.h):
//
// - llama-imatrix's importance data: per input column the sum of squared activations and the
//   sum of activations, accumulated in float row after row as llama-imatrix adds them (so that
//   equal activations give equal sums), and the number of rows. As llama-imatrix does, only the
//   layers' matrices ("blk.*") are watched unless the output is asked for, and products of fewer
//   than 16 rows are left out;
// - per column the largest |x| and the mean square (outlier channels);
// - a histogram of all values over fixed symmetric-log bins (tensor/histogram_builder.h).
//
// Non-finite activations are counted and left out of the histogram and the maxima (they do
// enter the sums, as in llama-imatrix, which refuses to write such data).

#include "infer/matmul_observer.h"
#include "tensor/histogram_builder.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

struct ActivationCaptureOptions {
    int64_t minRows = 16;       // products of fewer rows are ignored (llama-imatrix's rule)
    bool includeOutput = false; // also output.weight (token_embd.weight when tied)
    // The histogram: `histogramBins` bins (0: none) equal in symlog(x, histogramLinthresh) from
    // -histogramRange to +histogramRange; values beyond count as below / above.
    int histogramBins = 512;
    double histogramRange = 65504.0; // fp16's largest value
    double histogramLinthresh = 1e-3;
};

// Everything gathered for one weight matrix: a plain value, safe to hand to another thread.
struct TensorActivations {
    std::string name;               // the weight's GGUF name
    int64_t columns = 0;            // the weight's row length: activations per row
    uint64_t rows = 0;              // activation rows seen (llama-imatrix's count)
    uint64_t nonFinite = 0;         // NaN and infinite activations seen
    std::vector<float> sumSquares;  // per column: sum of x^2 (llama-imatrix's in_sum2)
    std::vector<float> sums;        // per column: sum of x (llama-imatrix's in_sum)
    std::vector<float> absMax;      // per column: largest finite |x|
    Histogram histogram;            // empty edges when the options ask for none

    // sumSquares[column] / rows, 0 before any row.
    double meanSquare(int64_t column) const noexcept;
};

// A MatmulObserver that accumulates TensorActivations per weight. observe() may be called from
// several threads (sessions sharing one capture); each call is applied whole, under a lock. A
// call whose column count differs from the first one seen for that weight is ignored.
class ActivationCapture : public MatmulObserver {
public:
    explicit ActivationCapture(const ActivationCaptureOptions& options = {});

    void observe(std::string_view weight, const float* x, int64_t rows, int64_t columns,
                 int64_t stride) override;

    // A copy of what has been gathered, sorted by name.
    std::vector<TensorActivations> snapshot() const;
    // How many weights have data.
    size_t tensorCount() const;
    // Forgets everything gathered.
    void clear();

private:
    struct Entry {
        TensorActivations data;
        std::optional<HistogramBuilder> histogram; // none when the options ask for none
    };
    bool watched(std::string_view weight, int64_t rows) const;
    Entry& entry(std::string_view weight, int64_t columns);

    ActivationCaptureOptions options_;
    std::vector<double> edges_; // the histogram's, shared by every entry; empty without one
    mutable std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> entries_;
};

} // namespace matryx
