#include "format/safetensors_header.h"

#include "format/safetensors_format.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>
#include <optional>
#include <unordered_set>

namespace matryx {

namespace {

using json = nlohmann::json;

constexpr std::string_view kMetadataKey = "__metadata__";

// Receives nlohmann's SAX events for the header. The schema is fixed and shallow, so a small
// stack of contexts replaces a document; the values of unknown tensor fields are skipped by
// counting their nesting, which costs nothing per level.
class HeaderHandler {
public:
    HeaderHandler(const std::string& file, uint64_t baseOffset) : file_(file), base_(baseOffset) {}

    SafetensorsHeader header;
    std::optional<Error> error;

    // --- nlohmann SAX interface
    bool null() { return scalar(Scalar::Null); }
    bool boolean(bool) { return scalar(Scalar::Other); }
    bool number_integer(json::number_integer_t) { return scalar(Scalar::Negative); }
    bool number_unsigned(json::number_unsigned_t v) { return scalar(Scalar::Unsigned, v); }
    bool number_float(json::number_float_t, const json::string_t&) { return scalar(Scalar::Other); }
    bool binary(json::binary_t&) { return scalar(Scalar::Other); }
    bool string(json::string_t& s) { return scalar(Scalar::String, 0, &s); }
    bool start_object(std::size_t) { return open(true); }
    bool start_array(std::size_t) { return open(false); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(json::string_t& k);
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex);

private:
    enum class Ctx : uint8_t { Top, Tensor, Metadata, Shape, Offsets };
    enum class Field : uint8_t { None, Dtype, Shape, Offsets, Unknown };
    enum class Scalar : uint8_t { Null, String, Unsigned, Negative, Other };

    bool open(bool object);
    bool close();
    bool scalar(Scalar kind, uint64_t value = 0, std::string* text = nullptr);
    bool fail(std::string field, std::string message) {
        error = makeError(file_, std::move(field), base_, std::move(message));
        return false;
    }
    std::string tensorField() const { return safetensorsTensorField(header.tensors.back().name); }
    std::string fieldName() const {
        switch (field_) {
        case Field::Dtype:
            return tensorField() + ".dtype";
        case Field::Shape:
            return tensorField() + ".shape";
        case Field::Offsets:
            return tensorField() + ".data_offsets";
        default:
            return tensorField();
        }
    }
    std::string metadataField() const { return std::string(kMetadataKey) + "[\"" + metadataKey_ + "\"]"; }

    const std::string& file_;
    uint64_t base_;
    std::vector<Ctx> stack_; // at most 3 deep: Top, Tensor/Metadata, Shape/Offsets
    uint64_t skipDepth_ = 0; // > 0 while inside the value of an unknown field
    bool rootSeen_ = false;
    bool metadataSeen_ = false;
    bool pendingMetadata_ = false; // the key just read at the top level is "__metadata__"
    Field field_ = Field::None;
    std::string metadataKey_;
    uint8_t seenFields_ = 0; // bits: 1 dtype, 2 shape, 4 data_offsets
    size_t offsetsCount_ = 0;
    std::unordered_set<std::string> names_;
    std::unordered_set<std::string> metadataKeys_;
};

bool HeaderHandler::key(json::string_t& k) {
    if (skipDepth_ > 0) return true;
    switch (stack_.back()) {
    case Ctx::Top:
        if (k == kMetadataKey) {
            if (metadataSeen_) return fail(std::string(kMetadataKey), "given twice");
            metadataSeen_ = pendingMetadata_ = true;
            return true;
        }
        pendingMetadata_ = false;
        if (!names_.insert(k).second) return fail(safetensorsTensorField(k), "tensor name given twice");
        header.tensors.push_back({k, {}, {}, 0, 0});
        seenFields_ = 0;
        return true;
    case Ctx::Tensor: {
        uint8_t bit = 0;
        if (k == "dtype")
            field_ = Field::Dtype, bit = 1;
        else if (k == "shape")
            field_ = Field::Shape, bit = 2;
        else if (k == "data_offsets")
            field_ = Field::Offsets, bit = 4;
        else
            field_ = Field::Unknown;
        if (bit != 0) {
            if (seenFields_ & bit) return fail(fieldName(), "given twice");
            seenFields_ |= bit;
        }
        return true;
    }
    case Ctx::Metadata:
        metadataKey_ = k;
        if (!metadataKeys_.insert(k).second) return fail(metadataField(), "metadata key given twice");
        return true;
    default:
        return fail("header", "unexpected key");
    }
}

bool HeaderHandler::open(bool object) {
    if (skipDepth_ > 0) {
        ++skipDepth_;
        return true;
    }
    if (stack_.empty()) {
        if (!object || rootSeen_) return fail("header", "the header must be one JSON object");
        rootSeen_ = true;
        stack_.push_back(Ctx::Top);
        return true;
    }
    switch (stack_.back()) {
    case Ctx::Top:
        if (pendingMetadata_) {
            if (!object) return fail(std::string(kMetadataKey), "must be an object of strings");
            stack_.push_back(Ctx::Metadata);
            return true;
        }
        if (!object) return fail(tensorField(), "must be an object with dtype, shape and data_offsets");
        stack_.push_back(Ctx::Tensor);
        field_ = Field::None;
        return true;
    case Ctx::Tensor:
        if (field_ == Field::Unknown) {
            skipDepth_ = 1;
            return true;
        }
        if (!object && field_ == Field::Shape) {
            stack_.push_back(Ctx::Shape);
            return true;
        }
        if (!object && field_ == Field::Offsets) {
            stack_.push_back(Ctx::Offsets);
            offsetsCount_ = 0;
            return true;
        }
        return fail(fieldName(),
                    field_ == Field::Dtype ? "must be a string" : "must be an array of integers");
    case Ctx::Metadata:
        return fail(metadataField(), "must be a string");
    case Ctx::Shape:
    case Ctx::Offsets:
        return fail(fieldName(), "must hold non-negative integers only");
    }
    return false;
}

bool HeaderHandler::close() {
    if (skipDepth_ > 0) {
        --skipDepth_;
        return true;
    }
    const Ctx ctx = stack_.back();
    stack_.pop_back();
    if (ctx == Ctx::Tensor) {
        if (!(seenFields_ & 1)) return fail(tensorField() + ".dtype", "missing");
        if (!(seenFields_ & 2)) return fail(tensorField() + ".shape", "missing");
        if (!(seenFields_ & 4)) return fail(tensorField() + ".data_offsets", "missing");
    } else if (ctx == Ctx::Offsets && offsetsCount_ != 2) {
        return fail(fieldName(), "must hold exactly two integers [begin, end]");
    }
    return true;
}

bool HeaderHandler::scalar(Scalar kind, uint64_t value, std::string* text) {
    if (skipDepth_ > 0) return true;
    if (stack_.empty()) return fail("header", "the header must be a JSON object");
    switch (stack_.back()) {
    case Ctx::Top:
        if (pendingMetadata_) {
            if (kind == Scalar::Null) // the Python library writes no metadata as null, too
                return true;
            return fail(std::string(kMetadataKey), "must be an object of strings");
        }
        return fail(tensorField(), "must be an object with dtype, shape and data_offsets");
    case Ctx::Tensor:
        if (field_ == Field::Unknown) return true;
        if (field_ == Field::Dtype && kind == Scalar::String) {
            header.tensors.back().dtype = std::move(*text);
            return true;
        }
        return fail(fieldName(),
                    field_ == Field::Dtype ? "must be a string" : "must be an array of integers");
    case Ctx::Metadata:
        if (kind != Scalar::String) return fail(metadataField(), "must be a string");
        header.metadata.emplace_back(metadataKey_, std::move(*text));
        return true;
    case Ctx::Shape:
        if (kind != Scalar::Unsigned) return fail(fieldName(), "must hold non-negative integers only");
        if (header.tensors.back().shape.size() >= kSafetensorsMaxDims)
            return fail(fieldName(), "more than " + std::to_string(kSafetensorsMaxDims) + " dimensions");
        header.tensors.back().shape.push_back(value);
        return true;
    case Ctx::Offsets:
        if (kind != Scalar::Unsigned) return fail(fieldName(), "must hold non-negative integers only");
        if (offsetsCount_ >= 2) return fail(fieldName(), "must hold exactly two integers [begin, end]");
        (offsetsCount_++ == 0 ? header.tensors.back().begin : header.tensors.back().end) = value;
        return true;
    }
    return false;
}

bool HeaderHandler::parse_error(std::size_t position, const std::string&,
                                const nlohmann::detail::exception& ex) {
    std::string message = ex.what();
    if (const auto end = message.find("] ");
        !message.empty() && message.front() == '[' && end != std::string::npos)
        message.erase(0, end + 2);
    // nlohmann counts characters read, so the offending one is the last of them.
    const uint64_t at = position > 0 ? position - 1 : 0;
    error = makeError(file_, "header", base_ + at, "invalid JSON: " + message);
    return false;
}

} // namespace

std::string safetensorsTensorField(std::string_view name) {
    std::string out = "tensors[\"";
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    out += "\"]";
    return out;
}

Result<SafetensorsHeader> parseSafetensorsHeader(std::string_view text, const std::string& file,
                                                 uint64_t baseOffset) {
    HeaderHandler handler(file, baseOffset);
    try {
        const bool ok = json::sax_parse(text.begin(), text.end(), &handler);
        if (handler.error) return std::move(*handler.error);
        if (!ok) return makeError(file, "header", baseOffset, "invalid JSON");
    } catch (const std::exception& e) {
        // Allocation failure is the only exception left; it must not escape the reader.
        return makeError(file, "header", baseOffset, std::string("cannot parse the header: ") + e.what());
    }
    return std::move(handler.header);
}

} // namespace matryx
