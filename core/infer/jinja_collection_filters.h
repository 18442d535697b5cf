#pragma once

// The filters that walk sequences and mappings (see jinja_filters.h for the full list): sort,
// dictsort, unique, min, max, join, map, select, reject, selectattr and rejectattr. They fail with
// a runtime TemplateError on bad arguments and on items Python could not compare.

#include "infer/jinja_arguments.h"
#include "infer/jinja_operators.h"

namespace matryx::jinja {

Value filterSort(const Value& value, const CallArgs& args, const Limits& limits);
Value filterDictsort(const Value& value, const CallArgs& args, const Limits& limits);
Value filterUnique(const Value& value, const CallArgs& args, const Limits& limits);
// min (wantMax false) and max; undefined for an empty sequence.
Value filterMinOrMax(const Value& value, const CallArgs& args, bool wantMax);
Value filterJoin(const Value& value, const CallArgs& args, const Limits& limits);
// map(attribute=...) or map('filter', args...).
Value filterMap(const Value& value, const CallArgs& args, const Limits& limits);
// select/reject (byAttribute false) and selectattr/rejectattr; keep is true for the select forms.
Value filterSelectOrReject(const Value& value, const CallArgs& args, bool byAttribute, bool keep);

} // namespace matryx::jinja
