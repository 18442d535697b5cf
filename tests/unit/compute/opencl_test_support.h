#pragma once

// The OpenCL device the compute tests run on. Without one, OpenCL comparisons are skipped,
// unless MATRYX_REQUIRE_OPENCL is set (the project's test command sets it; packaging installs
// PoCL), in which case they fail.

#include "compute/opencl_context.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace matryx::test {

inline bool openClRequired() {
    const char* value = std::getenv("MATRYX_REQUIRE_OPENCL");
    return value && *value && std::string(value) != "0";
}

// A fresh folder under the system temp folder, removed with the object.
class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "matryx-compute-XXXXXX").string();
        if (mkdtemp(pattern.data()))
            path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        if (!path_.empty())
            std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// The first device `auto` would pick, created once per test process with the program cache in a
// temporary folder; nullptr (and the reason in *why) when there is none.
OpenClContext* sharedOpenClContext(std::string* why = nullptr);

// A new context on the same device with these options; nullptr when there is no device.
std::unique_ptr<OpenClContext> newOpenClContext(const OpenClOptions& options, std::string* why = nullptr);

// Fixture for tests that need a device: skips them without one, or fails them when
// MATRYX_REQUIRE_OPENCL is set. context() is the shared context.
class OpenClTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        context_ = sharedOpenClContext(&why);
        if (context_)
            return;
        if (openClRequired())
            FAIL() << "MATRYX_REQUIRE_OPENCL is set but OpenCL is unusable: " << why;
        GTEST_SKIP() << "no OpenCL device: " << why;
    }
    OpenClContext& context() { return *context_; }

private:
    OpenClContext* context_ = nullptr;
};

} // namespace matryx::test

