#pragma once

// A minimal process-wide log for things a user may want to know but that are not errors of the
// operation at hand: why OpenCL is not used, a kernel build log, a fallback to the CPU.
//
// Messages go to one sink. The default sink prints Warning and Error to stderr as
// "matryx: warning: ..."; the CLI keeps it (or lowers the level with --verbose), the GUI
// replaces it with one that forwards to its log view. Any thread may log; the sink is called
// under a lock, one message at a time, so it must not log itself.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

enum class LogLevel { Debug, Info, Warning, Error };

// "debug", "info", "warning", "error".
std::string_view logLevelName(LogLevel level) noexcept;

using LogSink = std::function<void(LogLevel level, std::string_view message)>;

// Installs a sink and returns the previous one; an empty function discards every message.
LogSink setLogSink(LogSink sink);
// Messages below this level are dropped before they reach the sink (default: Warning).
void setLogLevel(LogLevel minimum) noexcept;
LogLevel logLevel() noexcept;
bool logEnabled(LogLevel level) noexcept;

// Sends a message to the sink when its level is enabled. Never throws.
void logMessage(LogLevel level, std::string_view message) noexcept;

inline void logDebug(std::string_view message) noexcept { logMessage(LogLevel::Debug, message); }
inline void logInfo(std::string_view message) noexcept { logMessage(LogLevel::Info, message); }
inline void logWarning(std::string_view message) noexcept { logMessage(LogLevel::Warning, message); }
inline void logError(std::string_view message) noexcept { logMessage(LogLevel::Error, message); }

// The default sink: "matryx: <level>: <message>" on stderr.
void logToStderr(LogLevel level, std::string_view message);

// Captures every message (all levels) while alive and restores the previous sink and level
// afterwards; for tests and for jobs that show their own log.
class ScopedLogCapture {
public:
    struct Entry {
        LogLevel level;
        std::string message;
    };

    ScopedLogCapture();
    ~ScopedLogCapture();
    ScopedLogCapture(const ScopedLogCapture&) = delete;
    ScopedLogCapture& operator=(const ScopedLogCapture&) = delete;

    // A copy of what was logged so far.
    std::vector<Entry> entries() const;
    // True if some message at `minimum` or above contains `text`.
    bool contains(std::string_view text, LogLevel minimum = LogLevel::Debug) const;

private:
    struct Shared;
    std::shared_ptr<Shared> shared_;
    LogSink previous_;
    LogLevel previousLevel_;
};

} // namespace matryx
