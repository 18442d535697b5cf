#pragma once

// Shared by the GGUF writer and split tests: a scratch folder, a model with every value type,
// a producer with known bytes, and a Progress that records or cancels.

#include "base/progress.h"
#include "format/metadata.h"
#include "format/model_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace matryx::test {

// A fresh empty folder per test, removed afterwards.
class ScratchFolder {
public:
    ScratchFolder() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ =
            std::filesystem::temp_directory_path() / ("matryx_" + std::string(info->test_suite_name()) + "_" +
                                                      info->name() + "_" + std::to_string(::getpid()));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~ScratchFolder() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    // Every entry in the folder, hidden temporary files included.
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& e : std::filesystem::directory_iterator(path_))
            names.push_back(e.path().filename().string());
        return names;
    }

private:
    std::filesystem::path path_;
};

// Byte j of tensor i as the test producer writes it.
inline std::byte producedByte(size_t tensor, size_t j) {
    return static_cast<std::byte>((j * 31 + tensor * 17 + 5) & 0xFF);
}

inline TensorProducer patternProducer() {
    return [](size_t index, std::span<std::byte> out) -> Status {
        for (size_t j = 0; j < out.size(); ++j)
            out[j] = producedByte(index, j);
        return {};
    };
}

// Every value type, nested arrays (including an empty one) and values at their type limits.
inline Metadata everyValueType() {
    Metadata m;
    m.set("general.architecture", MetaValue::string("llama"));
    m.set("t.u8", MetaValue::fromUnsigned(MetaType::U8, 255));
    m.set("t.i8", MetaValue::fromSigned(MetaType::I8, -128));
    m.set("t.u16", MetaValue::fromUnsigned(MetaType::U16, 65535));
    m.set("t.i16", MetaValue::fromSigned(MetaType::I16, -32768));
    m.set("t.u32", MetaValue::u32(4294967295u));
    m.set("t.i32", MetaValue::i32(-2147483647 - 1));
    m.set("t.f32", MetaValue::f32(-3.40282347e38f));
    m.set("t.bool", MetaValue::boolean(false));
    m.set("t.string", MetaValue::string(std::string("with\0nul", 8) + " and \xe2\x9c\x93"));
    m.set("t.u64", MetaValue::u64(UINT64_MAX));
    m.set("t.i64", MetaValue::fromSigned(MetaType::I64, INT64_MIN));
    m.set("t.f64", MetaValue::fromFloat(MetaType::F64, 2.2250738585072014e-308));
    m.set("t.tokens", MetaValue::stringArray({"<s>", "</s>", "hello", ""}));
    m.set("t.scores", MetaValue::array(MetaType::F32, {MetaValue::f32(0.5f), MetaValue::f32(-1.25f)}));
    m.set("t.flags", MetaValue::array(MetaType::Bool, {MetaValue::boolean(true), MetaValue::boolean(false)}));
    m.set("t.empty", MetaValue::array(MetaType::U64, {}));
    m.set("t.nested",
          MetaValue::array(MetaType::Array,
                           {MetaValue::array(MetaType::I16, {MetaValue::fromSigned(MetaType::I16, 7)}),
                            MetaValue::array(MetaType::Array, {MetaValue::stringArray({"deep"})}),
                            MetaValue::array(MetaType::String, {})}));
    return m;
}

class RecordingProgress : public Progress {
public:
    // cancelAtReport: the report call (0-based) that cancels; -1 never.
    explicit RecordingProgress(int cancelAtReport = -1) : cancelAt_(cancelAtReport) {}
    std::vector<std::string> stages;
    std::vector<double> fractions;

protected:
    void onReport(double fraction, std::string_view stage) override {
        if (static_cast<int>(stages.size()) == cancelAt_) cancel();
        stages.emplace_back(stage);
        fractions.push_back(fraction);
    }

private:
    int cancelAt_;
};

} // namespace matryx::test
