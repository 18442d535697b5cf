#include "base/log.h"

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

namespace matryx {

namespace {

std::mutex& sinkMutex() {
    static std::mutex mutex;
    return mutex;
}

LogSink& currentSink() {
    static LogSink sink = logToStderr;
    return sink;
}

std::atomic<int>& minimumLevel() {
    static std::atomic<int> level{int(LogLevel::Warning)};
    return level;
}

} // namespace

std::string_view logLevelName(LogLevel level) noexcept {
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
    }
    return "log";
}

LogSink setLogSink(LogSink sink) {
    std::lock_guard lock(sinkMutex());
    LogSink previous = std::move(currentSink());
    currentSink() = std::move(sink);
    return previous;
}

void setLogLevel(LogLevel minimum) noexcept { minimumLevel().store(int(minimum), std::memory_order_relaxed); }

LogLevel logLevel() noexcept { return LogLevel(minimumLevel().load(std::memory_order_relaxed)); }

bool logEnabled(LogLevel level) noexcept { return int(level) >= minimumLevel().load(std::memory_order_relaxed); }

void logMessage(LogLevel level, std::string_view message) noexcept {
    if (!logEnabled(level))
        return;
    // Logging reports trouble; it must never become trouble itself.
    try {
        std::lock_guard lock(sinkMutex());
        if (currentSink())
            currentSink()(level, message);
    } catch (...) {
    }
}

void logToStderr(LogLevel level, std::string_view message) {
    const std::string_view name = logLevelName(level);
    std::fprintf(stderr, "matryx: %.*s: %.*s\n", int(name.size()), name.data(), int(message.size()),
                 message.data());
}

struct ScopedLogCapture::Shared {
    mutable std::mutex mutex;
    std::vector<Entry> entries;
};

ScopedLogCapture::ScopedLogCapture() : shared_(std::make_shared<Shared>()), previousLevel_(logLevel()) {
    previous_ = setLogSink([shared = shared_](LogLevel level, std::string_view message) {
        std::lock_guard lock(shared->mutex);
        shared->entries.push_back({level, std::string(message)});
    });
    setLogLevel(LogLevel::Debug);
}

ScopedLogCapture::~ScopedLogCapture() {
    setLogSink(std::move(previous_));
    setLogLevel(previousLevel_);
}

std::vector<ScopedLogCapture::Entry> ScopedLogCapture::entries() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->entries;
}

bool ScopedLogCapture::contains(std::string_view text, LogLevel minimum) const {
    std::lock_guard lock(shared_->mutex);
    for (const auto& e : shared_->entries)
        if (int(e.level) >= int(minimum) && e.message.find(text) != std::string::npos)
            return true;
    return false;
}

} // namespace matryx
