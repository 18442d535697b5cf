// matryx-gguf-dump: prints what readGguf read from a GGUF file as JSON, for the reference
// checks to compare with gguf-py:
//   {"version": 3, "alignment": 32,
//    "metadata": [{"key": "...", "type": "UINT32", "value": 7}, ...],
//    "tensors": [{"name": "...", "type": "Q4_K", "type_id": 12, "shape": [...], "source": 0,
//                 "offset": absolute byte offset, "bytes": n}, ...]}
// Arrays are {"element": "INT32", "items": [...]}, nested arrays the same within items.
// Non-finite floats are the strings "nan", "inf", "-inf". Exit code 2 with the error on stderr.

#include "format/gguf_reader.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

using namespace matryx;
using nlohmann::json;

namespace {

json valueJson(const MetaValue& v) {
    switch (v.type()) {
    case MetaType::Array: {
        json items = json::array();
        for (const MetaValue& item : v.items())
            items.push_back(valueJson(item));
        return {{"element", metaTypeName(v.arrayType())}, {"items", std::move(items)}};
    }
    case MetaType::String:
        return *v.toString();
    case MetaType::Bool:
        return *v.toBool();
    case MetaType::F32:
    case MetaType::F64: {
        const double d = *v.toDouble();
        if (std::isnan(d)) return "nan";
        if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
        return d;
    }
    default:
        if (const auto u = v.toUnsigned(); u && (v.type() == MetaType::U8 || v.type() == MetaType::U16 ||
                                                 v.type() == MetaType::U32 || v.type() == MetaType::U64))
            return *u;
        return *v.toSigned();
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: matryx-gguf-dump FILE.gguf\n");
        return 2;
    }
    auto model = readGguf(argv[1]);
    if (!model) {
        std::fprintf(stderr, "%s\n", model.error().toString().c_str());
        return 2;
    }
    json out = {{"version", model->ggufVersion}, {"alignment", model->alignment}};
    json metadata = json::array();
    for (const auto& [key, value] : model->metadata)
        metadata.push_back({{"key", key}, {"type", metaTypeName(value.type())}, {"value", valueJson(value)}});
    out["metadata"] = std::move(metadata);
    json tensors = json::array();
    for (const TensorInfo& t : model->tensors)
        tensors.push_back({{"name", t.name},
                           {"type", typeName(t.type)},
                           {"type_id", static_cast<uint32_t>(t.type)},
                           {"shape", t.shape},
                           {"source", t.source},
                           {"offset", t.offset},
                           {"bytes", t.bytes}});
    out["tensors"] = std::move(tensors);
    std::printf("%s\n", out.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    return 0;
}
