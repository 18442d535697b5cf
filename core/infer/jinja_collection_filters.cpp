// Filters over sequences and mappings (see jinja_collection_filters.h).

#include "infer/jinja_collection_filters.h"

#include "infer/jinja_filters.h"
#include "infer/jinja_format.h"
#include "infer/jinja_text.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace matryx::jinja {

namespace {

// Sort key for sort, dictsort, unique, min and max: strings compare case-insensitively unless asked.
Value sortKey(const Value& value, bool caseSensitive) {
    return !caseSensitive && value.isString() ? Value(lowerText(value.string())) : value;
}

Value pathOrSelf(const Value& item, const BoundArguments& bound, size_t index, bool caseSensitive) {
    const Value& attribute = bound[index];
    const Value key = attribute.isString()    ? lookupPath(item, attribute.string())
                      : attribute.isInteger() ? getItem(item, attribute)
                                              : item;
    return sortKey(key, caseSensitive);
}

} // namespace

Value filterSort(const Value& value, const CallArgs& args, const Limits&) {
    BoundArguments bound(args, {"reverse", "case_sensitive", "attribute"}, "sort");
    const bool reverse = bound.flag(0, false);
    const bool caseSensitive = bound.flag(1, false);
    std::vector<std::pair<Value, Value>> keyed;
    for (const Value& item : iterate(value))
        keyed.emplace_back(pathOrSelf(item, bound, 2, caseSensitive), item);
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
        return reverse ? lessThan(b.first, a.first) : lessThan(a.first, b.first);
    });
    ValueList out;
    for (auto& entry : keyed)
        out.push_back(std::move(entry.second));
    return Value::list(std::move(out));
}

Value filterDictsort(const Value& value, const CallArgs& args, const Limits&) {
    BoundArguments bound(args, {"case_sensitive", "by", "reverse"}, "dictsort");
    const bool caseSensitive = bound.flag(0, false);
    const std::string by = bound.string(1, "key");
    const bool reverse = bound.flag(2, false);
    if (by != "key" && by != "value") fail("dictsort(): you can only sort by either \"key\" or \"value\"");
    if (!value.isDict()) fail("dictsort(): expected a mapping");
    ValueList pairs;
    for (const auto& [key, item] : value.dictionary().entries())
        pairs.push_back(Value::list({Value(key), item}, true));
    const size_t part = by == "key" ? 0 : 1;
    std::stable_sort(pairs.begin(), pairs.end(), [&](const Value& a, const Value& b) {
        const Value ka = sortKey(a.items()[part], caseSensitive);
        const Value kb = sortKey(b.items()[part], caseSensitive);
        return reverse ? lessThan(kb, ka) : lessThan(ka, kb);
    });
    return Value::list(std::move(pairs));
}

Value filterUnique(const Value& value, const CallArgs& args, const Limits&) {
    BoundArguments bound(args, {"case_sensitive", "attribute"}, "unique");
    const bool caseSensitive = bound.flag(0, false);
    ValueList out;
    ValueList seen;
    for (const Value& item : iterate(value)) {
        const Value key = pathOrSelf(item, bound, 1, caseSensitive);
        if (std::none_of(seen.begin(), seen.end(), [&](const Value& s) { return s.equals(key); })) {
            seen.push_back(key);
            out.push_back(item);
        }
    }
    return Value::list(std::move(out));
}

Value filterMinOrMax(const Value& value, const CallArgs& args, bool wantMax) {
    BoundArguments bound(args, {"case_sensitive", "attribute"}, wantMax ? "max" : "min");
    const bool caseSensitive = bound.flag(0, false);
    const Value* best = nullptr;
    Value bestKey;
    const ValueList items = iterate(value);
    for (const Value& item : items) {
        Value key = pathOrSelf(item, bound, 1, caseSensitive);
        if (!best || (wantMax ? lessThan(bestKey, key) : lessThan(key, bestKey))) {
            best = &item;
            bestKey = std::move(key);
        }
    }
    return best ? *best : Value::undefined("No aggregated item, sequence was empty.");
}

Value filterJoin(const Value& value, const CallArgs& args, const Limits& limits) {
    BoundArguments bound(args, {"d", "attribute"}, "join");
    const std::string separator = bound.has(0) ? toStr(bound[0], limits.maxBytes) : std::string();
    std::string out;
    bool first = true;
    for (const Value& item : iterate(value)) {
        if (!first && out.size() + separator.size() > limits.maxBytes)
            failLimit("join() result exceeds the output limit of " + std::to_string(limits.maxBytes) +
                      " bytes");
        if (!first) out += separator;
        first = false;
        const Value part =
            bound.has(1) && !bound[1].isNone() ? lookupPath(item, toStr(bound[1], limits.maxBytes)) : item;
        appendStr(out, part, limits.maxBytes);
    }
    return Value(std::move(out));
}

Value filterMap(const Value& value, const CallArgs& args, const Limits& limits) {
    ValueList out;
    if (args.positional.empty()) {
        BoundArguments bound(args, {"attribute", "default"}, "map");
        const std::string path = toStr(bound.required(0), limits.maxBytes);
        for (const Value& item : iterate(value)) {
            Value mapped = lookupPath(item, path);
            out.push_back(mapped.isUndefined() && bound.has(1) ? bound[1] : std::move(mapped));
        }
        return Value::list(std::move(out));
    }
    if (!args.positional[0].isString() || !isKnownFilter(args.positional[0].string()))
        fail("map(): the first argument must name a supported filter");
    CallArgs rest{ValueList(args.positional.begin() + 1, args.positional.end()), args.keywords};
    for (const Value& item : iterate(value))
        out.push_back(applyFilter(args.positional[0].string(), item, rest, limits));
    return Value::list(std::move(out));
}

// select, reject, selectattr and rejectattr.
Value filterSelectOrReject(const Value& value, const CallArgs& args, bool byAttribute, bool keep) {
    const char* name = byAttribute ? (keep ? "selectattr" : "rejectattr") : (keep ? "select" : "reject");
    size_t next = 0;
    std::string path;
    if (byAttribute) {
        if (args.positional.empty() || !args.positional[0].isString())
            fail(std::string(name) + "() needs an attribute name");
        path = args.positional[0].string();
        next = 1;
    }
    std::string test;
    if (args.positional.size() > next) {
        if (!args.positional[next].isString() || !isKnownTest(args.positional[next].string()))
            fail(std::string(name) + "(): the test must name a supported test");
        test = args.positional[next].string();
        ++next;
    }
    const CallArgs testArgs{
        ValueList(args.positional.begin() + static_cast<long>(next), args.positional.end()), args.keywords};
    ValueList out;
    for (const Value& item : iterate(value)) {
        const Value subject = byAttribute ? lookupPath(item, path) : item;
        const bool passed = test.empty() ? subject.truthy() : applyTest(test, subject, testArgs);
        if (passed == keep) out.push_back(item);
    }
    return Value::list(std::move(out));
}

} // namespace matryx::jinja
