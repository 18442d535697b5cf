#pragma once

// Arguments of a filter, test, method or built-in call, and their binding to parameter names
// the way Python binds them: positional first, then keywords; too many positional arguments,
// unknown or repeated keywords fail with the function's name in the message.

#include "infer/jinja_error.h"
#include "infer/jinja_value.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace matryx::jinja {

struct CallArgs {
    ValueList positional;
    std::vector<std::pair<std::string, Value>> keywords;
};

class BoundArguments {
public:
    BoundArguments(const CallArgs& args, std::initializer_list<std::string_view> parameters,
                   std::string_view function)
        : function_(function), names_(parameters), values_(parameters.size()),
          given_(parameters.size(), false) {
        if (args.positional.size() > names_.size())
            fail(function_ + "() takes at most " + std::to_string(names_.size()) + " arguments (" +
                 std::to_string(args.positional.size()) + " given)");
        for (size_t i = 0; i < args.positional.size(); ++i)
            assign(i, args.positional[i]);
        for (const auto& [name, value] : args.keywords) {
            size_t i = 0;
            while (i < names_.size() && names_[i] != name)
                ++i;
            if (i == names_.size()) fail(function_ + "() got an unexpected keyword argument '" + name + "'");
            assign(i, value);
        }
    }

    bool has(size_t i) const { return given_[i]; }
    // The argument, or undefined when it was not given.
    const Value& operator[](size_t i) const { return values_[i]; }
    const Value& required(size_t i) const {
        if (!given_[i]) fail(function_ + "() missing required argument '" + std::string(names_[i]) + "'");
        return values_[i];
    }
    const Value& get(size_t i, const Value& fallback) const { return given_[i] ? values_[i] : fallback; }
    std::string string(size_t i, const std::string& fallback) const {
        if (!given_[i]) return fallback;
        if (!values_[i].isString())
            fail(function_ + "() argument '" + std::string(names_[i]) + "' must be a string, not " +
                 values_[i].typeName());
        return values_[i].string();
    }
    int64_t integer(size_t i, int64_t fallback) const {
        if (!given_[i] || values_[i].isNone()) return fallback;
        if (!values_[i].isInteger())
            fail(function_ + "() argument '" + std::string(names_[i]) + "' must be an integer, not " +
                 values_[i].typeName());
        return values_[i].integer();
    }
    bool flag(size_t i, bool fallback) const { return given_[i] ? values_[i].truthy() : fallback; }

private:
    void assign(size_t i, const Value& value) {
        if (given_[i])
            fail(function_ + "() got multiple values for argument '" + std::string(names_[i]) + "'");
        values_[i] = value;
        given_[i] = true;
    }

    std::string function_;
    std::vector<std::string_view> names_;
    ValueList values_;
    std::vector<bool> given_;
};

} // namespace matryx::jinja
