#include "format/metadata_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <limits>

namespace matryx {

namespace {

MetaValue roundTrip(const MetaValue& v) {
    auto decoded = decodeTypedValue(encodeTypedValue(v), "k");
    EXPECT_TRUE(decoded.ok()) << decoded.error().toString() << " for " << encodeTypedValue(v);
    return decoded ? *decoded : MetaValue{};
}

std::string decodeError(std::string_view text) {
    auto decoded = decodeTypedValue(text, "field");
    EXPECT_FALSE(decoded.ok()) << text;
    if (decoded) return {};
    EXPECT_EQ(decoded.error().field, "field");
    return decoded.error().message;
}

} // namespace

TEST(MetadataJson, TypedEncodingLooksAsDocumented) {
    EXPECT_EQ(encodeTypedValue(MetaValue::u32(30)), R"({"type":"UINT32","value":30})");
    EXPECT_EQ(encodeTypedValue(MetaValue::f32(1e-5f)), R"({"type":"FLOAT32","value":1e-05})");
    EXPECT_EQ(encodeTypedValue(MetaValue::f32(3.0f)), R"({"type":"FLOAT32","value":3.0})");
    EXPECT_EQ(encodeTypedValue(MetaValue::f32(std::numeric_limits<float>::infinity())),
              R"({"type":"FLOAT32","value":{"bits":"7f800000"}})");
    EXPECT_EQ(encodeTypedValue(MetaValue::string("llama")), R"({"type":"STRING","value":"llama"})");
    EXPECT_EQ(encodeTypedValue(MetaValue::string("\xff")), R"({"type":"STRING","value":{"base64":"/w=="}})");
    EXPECT_EQ(encodeTypedValue(MetaValue::array(MetaType::I32, {MetaValue::i32(1), MetaValue::i32(-2)})),
              R"({"type":"ARRAY","element":"INT32","value":[1,-2]})");
    EXPECT_EQ(
        encodeTypedValue(MetaValue::array(MetaType::Array, {MetaValue::stringArray({"a"})})),
        R"({"type":"ARRAY","element":"ARRAY","value":[{"type":"ARRAY","element":"STRING","value":["a"]}]})");
    EXPECT_EQ(encodeTypedValue(MetaValue::boolean(false)), R"({"type":"BOOL","value":false})");
    EXPECT_EQ(encodeTypedValue(MetaValue::string("a\"b\\c\n\x01")),
              R"({"type":"STRING","value":"a\"b\\c\n\u0001"})");
}

TEST(MetadataJson, EveryTypeRoundTripsExactly) {
    const std::vector<MetaValue> values = {
        MetaValue::fromUnsigned(MetaType::U8, 0),
        MetaValue::fromUnsigned(MetaType::U8, 255),
        MetaValue::fromSigned(MetaType::I8, -128),
        MetaValue::fromUnsigned(MetaType::U16, 65535),
        MetaValue::fromSigned(MetaType::I16, -32768),
        MetaValue::u32(4294967295u),
        MetaValue::i32(std::numeric_limits<int32_t>::min()),
        MetaValue::u64(std::numeric_limits<uint64_t>::max()),
        MetaValue::fromSigned(MetaType::I64, std::numeric_limits<int64_t>::min()),
        MetaValue::fromSigned(MetaType::I64, std::numeric_limits<int64_t>::max()),
        MetaValue::f32(0.1f),
        MetaValue::f32(std::numeric_limits<float>::max()),
        MetaValue::f32(std::numeric_limits<float>::denorm_min()),
        MetaValue::f32(-0.0f),
        MetaValue::f32(1e-6f),
        MetaValue::fromFloat(MetaType::F64, 0.1),
        MetaValue::fromFloat(MetaType::F64, std::numeric_limits<double>::denorm_min()),
        MetaValue::fromFloat(MetaType::F64, -std::numeric_limits<double>::infinity()),
        MetaValue::boolean(true),
        MetaValue::string(""),
        MetaValue::string(std::string("\0\x80\xc3(", 4)),
        MetaValue::string("{{ bos_token }}{% for m in messages %}\n"),
        MetaValue::array(MetaType::String, {}),
        MetaValue::array(MetaType::F64, {MetaValue::fromFloat(MetaType::F64, 1.5)}),
        MetaValue::array(MetaType::Bool, {MetaValue::boolean(true), MetaValue::boolean(false)}),
        MetaValue::array(MetaType::Array,
                         {MetaValue::array(MetaType::Array, {MetaValue::array(MetaType::U8, {})})}),
    };
    for (const auto& v : values) {
        const MetaValue back = roundTrip(v);
        EXPECT_EQ(back, v) << encodeTypedValue(v);
        EXPECT_EQ(back.type(), v.type());
    }
    const MetaValue negZero = roundTrip(MetaValue::f32(-0.0f));
    EXPECT_TRUE(std::signbit(*negZero.toDouble()));
}

TEST(MetadataJson, NanKeepsItsBits) {
    const float nan = std::bit_cast<float>(0x7fc00123u);
    const MetaValue back = roundTrip(MetaValue::f32(nan));
    EXPECT_EQ(std::bit_cast<uint32_t>(static_cast<float>(*back.toDouble())), 0x7fc00123u);
}

TEST(MetadataJson, DecodeChecksTypesAndRanges) {
    EXPECT_NE(decodeError(R"({"type":"UINT8","value":256})").find("out of range"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"INT8","value":-129})").find("out of range"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"UINT32","value":-1})").find("out of range"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"UINT32","value":1.5})").find("integer"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"INT64","value":9223372036854775808})").find("out of range"),
              std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"FLOAT32","value":1e300})").find("range"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"FLOAT32","value":{"bits":"7f80"}})").find("bits"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"BOOL","value":1})").find("true or false"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"STRING","value":{"base64":"@@@@"}})").find("base64"),
              std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"STRING","value":5})").find("string"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"UINT128","value":5})").find("unknown type"), std::string::npos);
    EXPECT_NE(decodeError(R"({"value":5})").find("type"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"UINT8"})").find("missing"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"ARRAY","value":[]})").find("element"), std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"ARRAY","element":"UINT8","value":[1,300]})").find("$.value[1]"),
              std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"ARRAY","element":"ARRAY","value":[5]})").find("$.value[0]"),
              std::string::npos);
    EXPECT_NE(decodeError(R"({"type":"ARRAY","element":"UINT8","value":{}})").find("array"),
              std::string::npos);
    EXPECT_NE(decodeError("not json").find("invalid JSON"), std::string::npos);
    EXPECT_NE(decodeError("[]").find("object"), std::string::npos);
}

TEST(MetadataJson, DecodeLimitsNesting) {
    std::string deep;
    for (int i = 0; i < 20; ++i)
        deep += R"({"type":"ARRAY","element":"ARRAY","value":[)";
    deep += R"({"type":"ARRAY","element":"UINT8","value":[]})";
    for (int i = 0; i < 20; ++i)
        deep += "]}";
    EXPECT_NE(decodeError(deep).find("nested deeper"), std::string::npos);
    EXPECT_NE(decodeError(std::string(100000, '[')).find("nested deeper"), std::string::npos);
}

TEST(MetadataJson, PlainJsonForDisplay) {
    EXPECT_EQ(toPlainJson(MetaValue::u32(30)).dump(), "30");
    EXPECT_EQ(toPlainJson(MetaValue::i32(-3)).dump(), "-3");
    EXPECT_EQ(toPlainJson(MetaValue::f32(1e-5f)).dump(), "1e-05");
    EXPECT_EQ(toPlainJson(MetaValue::fromFloat(MetaType::F64, 0.25)).dump(), "0.25");
    EXPECT_EQ(toPlainJson(MetaValue::boolean(true)).dump(), "true");
    EXPECT_EQ(toPlainJson(MetaValue::stringArray({"a", "b"})).dump(), R"(["a","b"])");
    EXPECT_EQ(toPlainJson(MetaValue::string("a\xff")).dump(), "\"a\xEF\xBF\xBD\"");

    Metadata m;
    m.set("general.architecture", MetaValue::string("bert"));
    m.set("bert.block_count", MetaValue::u32(6));
    EXPECT_EQ(toPlainJson(m).dump(), R"({"bert.block_count":6,"general.architecture":"bert"})");
}

TEST(MetadataJson, Utf8Validation) {
    EXPECT_TRUE(isValidUtf8(""));
    EXPECT_TRUE(isValidUtf8("plain \xe2\x96\x81 \xf0\x9f\xa6\x99"));
    EXPECT_FALSE(isValidUtf8("\xc0\xaf"));         // overlong '/'
    EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));     // surrogate
    EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80")); // past U+10FFFF
    EXPECT_FALSE(isValidUtf8("\xe2\x96"));         // cut short
}

} // namespace matryx
