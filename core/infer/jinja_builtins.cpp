#include "infer/jinja_builtins.h"

#include "infer/jinja_format.h"

#include <array>
#include <cstdint>
#include <cstdio>

namespace matryx::jinja {

namespace {

struct CivilTime {
    int64_t year;
    int month, day, hour, minute, second, weekday, yearDay;
};

// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days).
CivilTime civilFromSeconds(int64_t seconds) {
    int64_t days = seconds / 86400;
    int64_t rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    CivilTime t{};
    t.hour = static_cast<int>(rest / 3600);
    t.minute = static_cast<int>(rest / 60 % 60);
    t.second = static_cast<int>(rest % 60);
    t.weekday = static_cast<int>(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday (4)
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    t.year = yoe + era * 400 + (t.month <= 2 ? 1 : 0);
    static constexpr std::array<int, 12> kDaysBefore = {0,   31,  59,  90,  120, 151,
                                                        181, 212, 243, 273, 304, 334};
    const bool leap = (t.year % 4 == 0 && t.year % 100 != 0) || t.year % 400 == 0;
    t.yearDay = kDaysBefore[static_cast<size_t>(t.month - 1)] + t.day + (leap && t.month > 2 ? 1 : 0);
    return t;
}

std::string padded(int64_t value, int width, char fill = '0') {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, fill == '0' ? "%0*lld" : "%*lld", width,
                  static_cast<long long>(value));
    return buffer;
}

Value makeRange(const CallArgs& args, const Limits& limits) {
    if (!args.keywords.empty()) fail("range() takes no keyword arguments");
    const size_t n = args.positional.size();
    if (n < 1 || n > 3) fail("range expected 1 to 3 arguments, got " + std::to_string(n));
    for (const Value& v : args.positional)
        if (!v.isInteger())
            fail(std::string("'") + v.typeName() + "' object cannot be interpreted as an integer");
    const int64_t start = n == 1 ? 0 : args.positional[0].integer();
    const int64_t stop = n == 1 ? args.positional[0].integer() : args.positional[1].integer();
    const int64_t step = n == 3 ? args.positional[2].integer() : 1;
    if (step == 0) fail("range() arg 3 must not be zero");
    ValueList items;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (items.size() >= limits.maxItems)
            failLimit("range() is longer than the limit of " + std::to_string(limits.maxItems) + " items");
        items.emplace_back(i);
        if ((step > 0 && i > INT64_MAX - step) || (step < 0 && i < INT64_MIN - step)) break;
    }
    return Value::list(std::move(items));
}

// namespace(...) and dict(...): an optional mapping, then keyword arguments.
ValueDict collectEntries(const CallArgs& args, const char* function) {
    ValueDict entries;
    if (args.positional.size() > 1) fail(std::string(function) + "() takes at most 1 positional argument");
    if (args.positional.size() == 1) {
        if (!args.positional[0].isDict())
            fail(std::string(function) + "() expects a mapping as its positional argument");
        for (const auto& [key, value] : args.positional[0].dictionary().entries())
            entries.set(key, value);
    }
    for (const auto& [key, value] : args.keywords)
        entries.set(key, value);
    return entries;
}

} // namespace

bool isBuiltinFunction(std::string_view name) {
    return name == "range" || name == "namespace" || name == "dict" || name == "raise_exception" ||
           name == "strftime_now";
}

Value callBuiltin(std::string_view name, const CallArgs& args, const Limits& limits, int64_t now) {
    if (name == "range") return makeRange(args, limits);
    if (name == "dict") return Value::dict(collectEntries(args, "dict"));
    if (name == "namespace") {
        ValueDict entries = collectEntries(args, "namespace");
        if (entries.holdsNamespace()) fail("a namespace cannot hold another namespace");
        return Value::makeNamespace(std::move(entries));
    }
    if (name == "raise_exception") {
        BoundArguments bound(args, {"message"}, "raise_exception");
        std::string message;
        appendStr(message, bound.get(0, Value("")), limits.maxBytes);
        throw TemplateError(ErrorKind::Raised, std::move(message));
    }
    if (name == "strftime_now") {
        BoundArguments bound(args, {"format"}, "strftime_now");
        bound.required(0);
        return Value(formatUtcTime(now, bound.string(0, "")));
    }
    fail("'" + std::string(name) + "' is undefined");
}

std::string formatUtcTime(int64_t seconds, std::string_view format) {
    static constexpr std::array<const char*, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                         "Thursday", "Friday", "Saturday"};
    static constexpr std::array<const char*, 12> kMonths = {"January",   "February", "March",    "April",
                                                            "May",       "June",     "July",     "August",
                                                            "September", "October",  "November", "December"};
    const CivilTime t = civilFromSeconds(seconds);
    const std::string day = kDays[static_cast<size_t>(t.weekday)];
    const std::string month = kMonths[static_cast<size_t>(t.month - 1)];
    std::string out;
    for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 == format.size()) {
            out += format[i];
            continue;
        }
        switch (const char c = format[++i]) {
        case 'a':
            out += day.substr(0, 3);
            break;
        case 'A':
            out += day;
            break;
        case 'b':
            out += month.substr(0, 3);
            break;
        case 'B':
            out += month;
            break;
        case 'd':
            out += padded(t.day, 2);
            break;
        case 'e':
            out += padded(t.day, 2, ' ');
            break;
        case 'H':
            out += padded(t.hour, 2);
            break;
        case 'I':
            out += padded(t.hour % 12 == 0 ? 12 : t.hour % 12, 2);
            break;
        case 'j':
            out += padded(t.yearDay, 3);
            break;
        case 'm':
            out += padded(t.month, 2);
            break;
        case 'M':
            out += padded(t.minute, 2);
            break;
        case 'p':
            out += t.hour < 12 ? "AM" : "PM";
            break;
        case 'S':
            out += padded(t.second, 2);
            break;
        case 'y':
            out += padded(((t.year % 100) + 100) % 100, 2);
            break;
        case 'Y':
            out += std::to_string(t.year);
            break;
        case 'Z':
            out += "UTC";
            break;
        case 'z':
            out += "+0000";
            break;
        case '%':
            out += '%';
            break;
        default:
            throw TemplateError(ErrorKind::Unsupported,
                                std::string("strftime_now(): %") + c + " is not supported");
        }
    }
    return out;
}

} // namespace matryx::jinja
