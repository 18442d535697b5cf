#pragma once

// Errors are values. Readers of untrusted files return Result<T>; nothing reachable
// from file bytes throws, asserts or aborts.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace matryx {

// One failure, precise enough to act on: which file, which field, where in the file.
struct Error {
    std::string file;                  // path, or a name such as "<memory>"
    std::string field;                 // e.g. "tensor_infos[3].offset"; empty if not about a field
    std::optional<uint64_t> offset;    // byte offset in the file where the field starts
    std::string message;               // what is wrong, in plain words
    bool cancelled = false;            // the user stopped the job; not a failure to report loudly

    // "model.gguf: tensor_infos[3].offset at byte 1234: offset past end of file"
    std::string toString() const;
};

Error makeError(std::string file, std::string field, std::optional<uint64_t> offset, std::string message);
// The error a job returns when its Progress was cancelled.
Error cancelledError(std::string file);

// A value or an Error. Minimal stand-in for C++23 std::expected.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return data_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(data_); }
    const T& value() const& { return std::get<0>(data_); }
    T&& value() && { return std::get<0>(std::move(data_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const& { return std::get<1>(data_); }
    Error&& error() && { return std::get<1>(std::move(data_)); }

private:
    std::variant<T, Error> data_;
};

// Success or an Error, for operations with no value.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)) {}

    bool ok() const noexcept { return !error_.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
    const Error& error() const& { return *error_; }
    Error&& error() && { return std::move(*error_); }

private:
    std::optional<Error> error_;
};

} // namespace matryx
