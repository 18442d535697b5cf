#include "tensor/tensor_stats.h"

#include "tensor/central_moments.h"
#include "tensor/stats_kernels.h"
#include "tensor/tensor_chunks.h"
#include "tensor/top_outliers.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <new>
#include <omp.h>
#include <string>

namespace matryx {

namespace {

namespace k = stats_kernels;

constexpr int kMaxOptionValue = 1 << 20;
constexpr int kMaxThreads = 256;
// Chunks between two progress reports (and cancellation checks): about 1 Mi values.
constexpr uint64_t kReportEvery = 64;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Error optionError(std::string field, std::string message) {
    return makeError("<memory>", "options." + std::move(field), std::nullopt, std::move(message));
}

Status checkOptions(const TensorStatsOptions& o) {
    if (o.histogramBins < 0 || o.histogramBins > kMaxOptionValue)
        return optionError("histogramBins", "must be in [0, 2^20], is " + std::to_string(o.histogramBins));
    if (o.topK < 0 || o.topK > kMaxOptionValue)
        return optionError("topK", "must be in [0, 2^20], is " + std::to_string(o.topK));
    if (o.histogramMin.has_value() != o.histogramMax.has_value())
        return optionError("histogramMin", "a histogram range needs both ends");
    if (o.histogramMin &&
        !(std::isfinite(*o.histogramMin) && std::isfinite(*o.histogramMax) &&
          *o.histogramMin < *o.histogramMax && std::isfinite(*o.histogramMax - *o.histogramMin)))
        return optionError("histogramMin", "the histogram range must be finite with min < max");
    if (!(o.symlogLinthresh >= 0) || !std::isfinite(o.symlogLinthresh))
        return optionError("symlogLinthresh", "must be finite and >= 0");
    if (!std::isfinite(o.outlierK)) return optionError("outlierK", "must be finite");
    return {};
}

// Runs chunkFn(thread, chunkIndex) for every chunk over up to `threads` threads (at least two
// chunks each), in one parallel region: under load, every region can cost a scheduler tick. The
// calling thread reports progress every kReportEvery chunks; once a report says stop, no thread
// takes another chunk and the function returns false.
template <class ChunkFn>
bool forEachChunk(const TensorChunks& chunks, int threads, const std::function<bool(uint64_t)>& report,
                  ChunkFn&& chunkFn) {
    const uint64_t total = chunks.count();
    const int count = int(std::clamp<uint64_t>(total / 2, 1, uint64_t(threads)));
    std::atomic<uint64_t> done{0};
    std::atomic<bool> stop{false};
    uint64_t reported = 0;
#pragma omp parallel for num_threads(count) schedule(static) if (count > 1)
    for (uint64_t c = 0; c < total; ++c) {
        if (stop.load(std::memory_order_relaxed)) continue;
        const int thread = omp_get_thread_num();
        chunkFn(thread, c);
        const uint64_t now = done.fetch_add(1, std::memory_order_relaxed) + 1;
        if (thread == 0 && now - reported >= kReportEvery) {
            reported = now;
            if (!report(now)) stop.store(true, std::memory_order_relaxed);
        }
    }
    return !stop.load() && report(total);
}

// What pass 1 keeps per chunk until all chunks are merged in order (56 bytes per 16 Ki values).
struct ChunkSummary {
    CentralMoments moments;
    float min = 0;
    float max = 0;
    float absMax = 0; // of the piece, for rows split into pieces
};

struct FirstPassThread {
    std::vector<float> buffer;
    float* columnMax = nullptr; // null when not asked for
    TopOutliers top;
    uint64_t nan = 0;
    uint64_t infinite = 0;
};

struct SecondPassThread {
    std::vector<float> buffer;
    std::optional<HistogramBuilder> linear;
    std::optional<HistogramBuilder> symlog;
    uint64_t outliers = 0;
};

class StatsJob {
public:
    StatsJob(const TensorChunks& chunks, const TensorStatsOptions& o, Progress& progress)
        : chunks_(chunks), o_(o), progress_(progress), threads_(std::clamp(o.threads, 1, kMaxThreads)) {}

    Result<TensorStats> run();

private:
    bool firstPass();
    void firstPassChunk(FirstPassThread& t, ChunkSummary& s, const TensorChunk& c) noexcept;
    void scanFinite(FirstPassThread& t, ChunkSummary& s, const TensorChunk& c, const float* x,
                    const k::Extremes& e) noexcept;
    bool secondPass();
    bool report(int pass, uint64_t chunksDone);

    const TensorChunks& chunks_;
    const TensorStatsOptions& o_;
    Progress& progress_;
    const int threads_;
    int passes_ = 1;
    TensorStats r_;
    CentralMoments moments_;
};

bool StatsJob::report(int pass, uint64_t chunksDone) {
    const double total = double(chunks_.count()) * passes_;
    const double done = double(pass) * double(chunks_.count()) + double(chunksDone);
    return progress_.report(total > 0 ? std::min(1.0, done / total) : 1.0, "statistics");
}

// The common case, every value finite. Rows whose maximum is known to be below the top list's
// threshold are not looked at again.
void StatsJob::scanFinite(FirstPassThread& t, ChunkSummary& s, const TensorChunk& c, const float* x,
                          const k::Extremes& e) noexcept {
    s.min = e.min;
    s.max = e.max;
    s.absMax = std::max(std::fabs(e.min), std::fabs(e.max));
    const uint64_t rows = std::max<uint64_t>(c.rows, 1);
    const uint64_t length = c.rows ? chunks_.rowLength() : c.count;
    const bool rowMax = c.rows && o_.rowAbsMax;
    const bool top = o_.topK > 0 && s.absMax >= t.top.threshold();
    if (rowMax || top || t.columnMax) {
        for (uint64_t i = 0; i < rows; ++i) {
            const float* row = x + i * length;
            float absMax = s.absMax;
            if (rowMax) r_.rowAbsMax[c.row + i] = absMax = k::maxAbs(row, length);
            if (top && absMax >= t.top.threshold()) t.top.add(row, length, c.first + i * length);
            if (t.columnMax) k::maxAbsInto(t.columnMax + c.column, row, length);
        }
    }
    s.moments = centralMomentsOf(x, c.count);
}

void StatsJob::firstPassChunk(FirstPassThread& t, ChunkSummary& s, const TensorChunk& c) noexcept {
    s = ChunkSummary{};
    float* x = t.buffer.data();
    chunks_.dequantize(c, x);
    const k::Extremes e = k::extremes(x, c.count);
    if (e.nonFinite == 0) {
        scanFinite(t, s, c, x, e);
        return;
    }
    // Rare: NaN or infinity present. Take the top list first (it skips them), then let zeros
    // stand in for them in the per-row and per-column maxima, then dequantize again and keep only
    // the finite values for the moments.
    for (uint64_t i = 0; i < c.count; ++i) {
        t.nan += std::isnan(x[i]) ? 1 : 0;
        t.infinite += std::isinf(x[i]) ? 1 : 0;
    }
    t.top.add(x, c.count, c.first);
    k::zeroNonFinite(x, c.count);
    const uint64_t rows = std::max<uint64_t>(c.rows, 1);
    const uint64_t length = c.rows ? chunks_.rowLength() : c.count;
    for (uint64_t i = 0; i < rows; ++i) {
        const float absMax = k::maxAbs(x + i * length, length);
        if (c.rows && o_.rowAbsMax) r_.rowAbsMax[c.row + i] = absMax;
        s.absMax = std::max(s.absMax, absMax);
        if (t.columnMax) k::maxAbsInto(t.columnMax + c.column, x + i * length, length);
    }
    chunks_.dequantize(c, x);
    const size_t finite = k::keepFinite(x, c.count);
    if (finite > 0) {
        const k::Extremes f = k::extremes(x, finite);
        s.min = f.min;
        s.max = f.max;
    }
    s.moments = centralMomentsOf(x, finite);
}

bool StatsJob::firstPass() {
    // Per-column maxima: one vector per thread, except for a single row, whose chunks are
    // disjoint column ranges that threads can share one vector for (a long 1-D tensor's per-column
    // maxima are as long as the tensor).
    const size_t columnVectors = !o_.columnAbsMax ? 0 : chunks_.rows() > 1 ? size_t(threads_) : 1;
    std::vector<std::vector<float>> columnMax(columnVectors, std::vector<float>(chunks_.rowLength()));
    std::vector<FirstPassThread> threads;
    threads.reserve(size_t(threads_));
    for (int i = 0; i < threads_; ++i) {
        float* columns = columnVectors ? columnMax[size_t(i) % columnVectors].data() : nullptr;
        threads.push_back(
            {std::vector<float>(TensorChunks::kTarget), columns, TopOutliers(size_t(o_.topK)), 0, 0});
    }
    if (o_.rowAbsMax) r_.rowAbsMax.assign(chunks_.rows(), 0.0f);

    std::vector<ChunkSummary> summaries(chunks_.count());
    const bool done = forEachChunk(
        chunks_, threads_, [this](uint64_t n) { return report(0, n); },
        [&](int thread, uint64_t c) { firstPassChunk(threads[thread], summaries[c], chunks_.chunk(c)); });
    if (!done) return false;

    // In tensor order, whatever thread computed which chunk: the same bits for any thread count.
    double min = std::numeric_limits<double>::infinity();
    double max = -min;
    for (uint64_t c = 0; c < summaries.size(); ++c) {
        const ChunkSummary& s = summaries[c];
        moments_.merge(s.moments);
        if (s.moments.count > 0) {
            min = std::min(min, double(s.min));
            max = std::max(max, double(s.max));
        }
        if (chunks_.splitsRows() && o_.rowAbsMax) {
            float& row = r_.rowAbsMax[chunks_.chunk(c).row];
            row = std::max(row, s.absMax);
        }
    }

    FirstPassThread& all = threads.front();
    for (size_t i = 1; i < threads.size(); ++i) {
        all.nan += threads[i].nan;
        all.infinite += threads[i].infinite;
        all.top.merge(threads[i].top);
    }
    for (size_t v = 1; v < columnMax.size(); ++v)
        for (size_t j = 0; j < columnMax[0].size(); ++j)
            columnMax[0][j] = std::max(columnMax[0][j], columnMax[v][j]);
    r_.nan = all.nan;
    r_.infinite = all.infinite;
    r_.finite = moments_.count;
    if (!columnMax.empty()) r_.columnAbsMax = std::move(columnMax[0]);
    const uint64_t rowLength = std::max<uint64_t>(chunks_.rowLength(), 1);
    for (const TopOutliers::Entry& e : all.top.sorted())
        r_.topOutliers.push_back({e.index / rowLength, e.index % rowLength, e.value});
    const bool any = moments_.count > 0;
    r_.min = any ? min : kNaN;
    r_.max = any ? max : kNaN;
    r_.absMax = any ? std::max(std::fabs(min), std::fabs(max)) : 0.0;
    r_.mean = any ? moments_.mean : kNaN;
    r_.std = moments_.standardDeviation();
    r_.excessKurtosis = moments_.excessKurtosis();
    return true;
}

bool StatsJob::secondPass() {
    const double threshold = o_.outlierK * r_.std;
    std::optional<HistogramBuilder> linear, symlog;
    if (!r_.linear.edges.empty()) linear.emplace(r_.linear.edges, r_.finite);
    if (!r_.symlog.edges.empty()) symlog.emplace(r_.symlog.edges, r_.finite);
    std::vector<SecondPassThread> threads(static_cast<size_t>(threads_));
    for (SecondPassThread& t : threads) {
        t.buffer.resize(TensorChunks::kTarget);
        if (linear) t.linear = linear->emptyCopy();
        if (symlog) t.symlog = symlog->emptyCopy();
    }
    const bool countOutliers = o_.outlierK > 0;
    const bool anyNonFinite = r_.nan + r_.infinite > 0;
    const bool done = forEachChunk(
        chunks_, threads_, [this](uint64_t n) { return report(1, n); },
        [&](int thread, uint64_t index) {
            SecondPassThread& t = threads[thread];
            const TensorChunk c = chunks_.chunk(index);
            float* x = t.buffer.data();
            chunks_.dequantize(c, x);
            size_t n = c.count;
            if (anyNonFinite && k::extremes(x, n).nonFinite != 0) n = k::keepFinite(x, n);
            if (countOutliers) t.outliers += k::countFarFrom(x, n, r_.mean, threshold);
            if (t.linear && t.symlog)
                HistogramBuilder::addToBoth(*t.linear, *t.symlog, x, n);
            else if (t.linear)
                t.linear->add(x, n);
            else if (t.symlog)
                t.symlog->add(x, n);
        });
    if (!done) return false;

    SecondPassThread& all = threads.front();
    for (size_t i = 1; i < threads.size(); ++i) {
        all.outliers += threads[i].outliers;
        if (all.linear) all.linear->merge(*threads[i].linear);
        if (all.symlog) all.symlog->merge(*threads[i].symlog);
    }
    if (countOutliers) {
        r_.outliers = all.outliers;
        r_.outlierFraction = r_.finite ? double(all.outliers) / double(r_.finite) : 0.0;
    }
    if (all.linear) r_.linear = all.linear->result();
    if (all.symlog) r_.symlog = all.symlog->result();
    return true;
}

Result<TensorStats> StatsJob::run() {
    r_.elements = chunks_.elements();
    const bool histograms = o_.histogramBins > 0 && (o_.linearHistogram || o_.symlogHistogram);
    passes_ = (o_.outlierK > 0 || histograms) ? 2 : 1;
    if (!firstPass()) return cancelledError("<memory>");

    r_.symlogLinthresh = o_.symlogLinthresh > 0 ? o_.symlogLinthresh : r_.std > 0 ? r_.std : 1.0;
    if (histograms && (o_.histogramMin || r_.finite > 0)) {
        double lo = o_.histogramMin.value_or(r_.min);
        double hi = o_.histogramMax.value_or(r_.max);
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        const auto bins = size_t(o_.histogramBins);
        if (o_.linearHistogram) r_.linear = {linearBinEdges(lo, hi, bins), std::vector<uint64_t>(bins), 0, 0};
        if (o_.symlogHistogram)
            r_.symlog = {symlogBinEdges(lo, hi, bins, r_.symlogLinthresh), std::vector<uint64_t>(bins), 0, 0};
    }
    if (passes_ == 2 && r_.finite > 0 && !secondPass()) return cancelledError("<memory>");
    if (o_.outlierK > 0) r_.outlierK = o_.outlierK;
    return std::move(r_);
}

} // namespace

TensorStatsOptions TensorStatsOptions::summary() {
    TensorStatsOptions o;
    o.histogramBins = 0;
    o.topK = 0;
    o.rowAbsMax = false;
    o.columnAbsMax = false;
    return o;
}

Result<TensorStats> computeTensorStats(TensorType type, std::span<const std::byte> data,
                                       std::span<const int64_t> shape, const TensorStatsOptions& options,
                                       Progress& progress) {
    if (Status s = checkOptions(options); !s) return std::move(s).error();
    auto chunks = TensorChunks::plan(type, data, shape);
    if (!chunks) return std::move(chunks).error();
    try {
        StatsJob job(*chunks, options, progress);
        return job.run();
    } catch (const std::bad_alloc&) {
        return makeError("<memory>", "tensor data", std::nullopt,
                         "not enough memory for the statistics of " + std::to_string(chunks->elements()) +
                             " elements (per-row or per-column maxima of a very long tensor?)");
    }
}

} // namespace matryx
