#pragma once

// Long core work reports progress through a Progress and polls it for cancellation.
// Core has no Qt: the CLI prints, the GUI turns reports into signals on another thread.

#include <atomic>
#include <string_view>

namespace matryx {

class Progress {
public:
    virtual ~Progress() = default;

    // fraction in [0, 1]; stage names what is being done. Returns false when the job
    // should stop (cancelled). Safe to call from worker threads.
    bool report(double fraction, std::string_view stage);

    // Requests a stop; any thread may call it (the GUI thread's Cancel button).
    void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
    bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }

    // A sink that shows nothing and is never cancelled.
    static Progress& none();

protected:
    // Called by report(); implementations forward to a display. Default: nothing.
    virtual void onReport(double /*fraction*/, std::string_view /*stage*/) {}

private:
    std::atomic<bool> cancelled_{false};
};

} // namespace matryx
