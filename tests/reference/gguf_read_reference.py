#!/usr/bin/env python3
"""Matryx reads GGUF files that gguf-py wrote: GGUFWriter writes files with every value type
(values at their type limits, unicode, infinities and NaN, nested arrays) and tensors of plain
and quantized types (gguf.quants.quantize), at alignment 32 and 128. matryx-gguf-dump prints
what readGguf read as JSON, which must match the values given to GGUFWriter (key order, value
types, values) and gguf-py's GGUFReader (tensor names, types, shapes, data offsets and sizes;
the bytes at Matryx's offsets must equal GGUFReader's tensor data).

Usage: gguf_read_reference.py PATH/TO/matryx-gguf-dump
Exits 1 on any mismatch, or when the venv lacks gguf/numpy.
"""

import json
import math
import sys
import tempfile
from pathlib import Path

from gguf_compare import gguf, np, report, run, tensor_bytes

V = gguf.GGUFValueType
Q = gguf.GGMLQuantizationType

KVS = [
    ("t.u8", V.UINT8, 255, None),
    ("t.i8", V.INT8, -128, None),
    ("t.u16", V.UINT16, 65535, None),
    ("t.i16", V.INT16, -32768, None),
    ("t.u32", V.UINT32, 4294967295, None),
    ("t.i32", V.INT32, -2147483648, None),
    ("t.f32", V.FLOAT32, 0.1, None),
    ("t.f32_inf", V.FLOAT32, float("-inf"), None),
    ("t.bool", V.BOOL, True, None),
    ("t.string", V.STRING, "h\u00e9llo \u2713 \U0001F600", None),
    ("t.empty_string", V.STRING, "", None),
    ("t.u64", V.UINT64, 2**64 - 1, None),
    ("t.i64", V.INT64, -(2**63), None),
    ("t.f64", V.FLOAT64, 2.2250738585072014e-308, None),
    ("t.u16s", V.ARRAY, [0, 1, 65535], V.UINT16),
    ("t.i64s", V.ARRAY, [-(2**63), 0, 2**63 - 1], V.INT64),
    ("t.f32s", V.ARRAY, [1.5, float("nan"), float("inf"), -0.0], V.FLOAT32),
    ("t.f64s", V.ARRAY, [1e300, -1e-300], V.FLOAT64),
    ("t.bools", V.ARRAY, [True, False, True], None),
    ("t.strings", V.ARRAY, ["a", "", "\u00fc\u00f1\u00ee"], None),
    ("t.nested", V.ARRAY, [[1, 2, 3], [4]], None),
    ("t.nested_strings", V.ARRAY, [["x"], ["y", "z"]], None),
    ("t.deep", V.ARRAY, [[[1.25]], [[2.5, 3.75]]], None),
]


def expected_value(value, vtype, sub_type):
    if vtype == V.ARRAY:
        element = sub_type if sub_type is not None else V.get_type(value[0])
        return {"element": element.name, "items": [expected_value(v, element, None) for v in value]}
    if vtype == V.FLOAT32:
        value = float(np.float32(value))
    if vtype in (V.FLOAT32, V.FLOAT64) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def same(a, b):
    """Equality that tells -0.0 from 0.0."""
    if isinstance(a, float) and isinstance(b, (int, float)):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) == type(b) and a == b


def write_file(path, alignment):
    rng = np.random.default_rng(1234)
    writer = gguf.GGUFWriter(path, arch="llama")
    expected = [("general.architecture", "STRING", "llama")]
    for key, vtype, value, sub_type in KVS:
        writer.add_key_value(key, value, vtype, sub_type=sub_type)
        expected.append((key, vtype.name, expected_value(value, vtype, sub_type)))
    if alignment != 32:
        writer.add_custom_alignment(alignment)
        expected.append(("general.alignment", "UINT32", alignment))

    writer.add_tensor("f32", rng.standard_normal((3, 8), dtype=np.float32))
    writer.add_tensor("f16", rng.standard_normal((5,)).astype(np.float16))
    writer.add_tensor("f64", rng.standard_normal((2, 2, 3)))
    writer.add_tensor("i8", rng.integers(-128, 127, (7,), dtype=np.int8))
    writer.add_tensor("i16", rng.integers(-999, 999, (2, 4), dtype=np.int16))
    writer.add_tensor("i32", rng.integers(-999, 999, (1, 1, 1, 9), dtype=np.int32))
    weights = rng.standard_normal((4, 256), dtype=np.float32)
    for qtype in (Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1, Q.Q8_0, Q.BF16, Q.TQ1_0, Q.TQ2_0, Q.MXFP4):
        data = gguf.quants.quantize(weights, qtype)
        writer.add_tensor(qtype.name.lower(), data, raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return expected


def check(dump_tool, path, alignment):
    expected = write_file(path, alignment)
    dumped = json.loads(run([dump_tool, path]))
    reader = gguf.GGUFReader(path)
    errors = []
    if dumped["version"] != 3 or dumped["alignment"] != alignment:
        errors.append(f"version/alignment {dumped['version']}/{dumped['alignment']}")

    got = [(m["key"], m["type"], m["value"]) for m in dumped["metadata"]]
    if [g[0] for g in got] != [e[0] for e in expected]:
        errors.append(f"keys {[g[0] for g in got]} != {[e[0] for e in expected]}")
    else:
        for (key, gtype, gvalue), (_, etype, evalue) in zip(got, expected):
            if gtype != etype or not same(gvalue, evalue):
                errors.append(f"{key}: read {gtype} {gvalue!r}, written {etype} {evalue!r}")

    raw = path.read_bytes()
    tensors = dumped["tensors"]
    if [t["name"] for t in tensors] != [t.name for t in reader.tensors]:
        errors.append("tensor names differ")
    else:
        for mine, ref in zip(tensors, reader.tensors):
            want = (ref.tensor_type.name, int(ref.tensor_type), [int(d) for d in ref.shape], ref.data_offset,
                    ref.n_bytes)
            have = (mine["type"], mine["type_id"], mine["shape"], mine["offset"], mine["bytes"])
            if have != want:
                errors.append(f"{ref.name}: read {have}, gguf-py {want}")
            elif raw[mine["offset"]:mine["offset"] + mine["bytes"]] != tensor_bytes(ref).tobytes():
                errors.append(f"{ref.name}: bytes at Matryx's offset differ from gguf-py's tensor data")
            elif mine["offset"] % alignment:
                errors.append(f"{ref.name}: offset {mine['offset']} not aligned to {alignment}")
    report(errors, f"alignment {alignment}: {len(got)} keys and {len(tensors)} tensors "
                   f"({', '.join(sorted({t['type'] for t in tensors}))}) read as gguf-py wrote them")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        for alignment in (32, 128):
            check(Path(sys.argv[1]), Path(tmp) / f"written{alignment}.gguf", alignment)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
