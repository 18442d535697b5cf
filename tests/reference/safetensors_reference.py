"""Matryx's safetensors reader and writer against the Python safetensors library.

(a) Files written by the library, with every dtype it can write, read by Matryx
    (safetensors_dump): names, dtypes, shapes and the raw bytes at Matryx's offsets agree with
    what the library serialized; dtypes Matryx does not hold give an error naming the field.
(b) Files written by Matryx (safetensors_copy) load with the library: the same tensors and
    values, "format": "pt", and every metadata value in the typed encoding.

usage: safetensors_reference.py SAFETENSORS_DUMP SAFETENSORS_COPY
"""

import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import safetensors
import safetensors.numpy
from safetensors import TensorSpec

DUMP, COPY = sys.argv[1], sys.argv[2]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def dump(path):
    run = subprocess.run([DUMP, str(path)], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"safetensors_dump {path} failed: {run.stderr}")
    return json.loads(run.stdout)


def copy(src, dst, *flags):
    run = subprocess.run([COPY, str(src), str(dst), *flags], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"safetensors_copy {src} failed: {run.stderr}")


# torch-style dtype name given to the library -> (safetensors dtype, bytes per element)
DTYPES = {
    "bool": ("BOOL", 1),
    "uint8": ("U8", 1),
    "int8": ("I8", 1),
    "int16": ("I16", 2),
    "int32": ("I32", 4),
    "int64": ("I64", 8),
    "float16": ("F16", 2),
    "bfloat16": ("BF16", 2),
    "float32": ("F32", 4),
    "float64": ("F64", 8),
    "float8_e4m3fn": ("F8_E4M3", 1),
    "float8_e5m2": ("F8_E5M2", 1),
}
UNSUPPORTED = {"uint16": 2, "uint32": 4, "uint64": 8}

SHAPES = [(3, 5), (7,), (2, 3, 4), (), (0, 6)]
rng = np.random.default_rng(1234)


def raw_tensors(dtypes):
    """name -> (dtype name, shape, bytes): random bytes; BOOL gets 0/1 as the format requires."""
    out = {}
    for i, dtype in enumerate(dtypes):
        size = DTYPES[dtype][1] if dtype in DTYPES else UNSUPPORTED[dtype]
        for j, shape in enumerate(SHAPES if dtype in DTYPES else [(4,)]):
            count = int(np.prod(shape)) if shape else 1
            data = rng.integers(0, 256, count * size, dtype=np.uint8)
            if dtype == "bool":
                data = data & 1
            out[f"layer.{i}.{dtype}.{j}"] = (dtype, shape, data.tobytes())
    return out


def serialize(tensors, path, metadata):
    buffers = {name: np.frombuffer(data, dtype=np.uint8).copy() for name, (_, _, data) in tensors.items()}
    specs = {
        name: TensorSpec(dtype=dtype, shape=list(shape), data_ptr=buffers[name].ctypes.data, data_len=len(data))
        for name, (dtype, shape, data) in tensors.items()
    }
    safetensors.serialize_file(specs, str(path), metadata=metadata)


def header_of(path):
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    return n, json.loads(raw[8 : 8 + n])


def check_matryx_reads(path, tensors):
    """Matryx's view of a library-written file against the library's own parse of it."""
    raw = Path(path).read_bytes()
    parsed = {name: info for name, info in safetensors.deserialize(raw)}
    got = dump(path)
    check(len(got["tensors"]) == len(parsed), f"{path}: {len(got['tensors'])} tensors, library has {len(parsed)}")
    for t in got["tensors"]:
        ref = parsed.get(t["name"])
        check(ref is not None, f"{t['name']}: not in the library's parse")
        if ref is None:
            continue
        check(t["dtype"] == ref["dtype"], f"{t['name']}: dtype {t['dtype']} != {ref['dtype']}")
        check(list(reversed(t["shape"])) == list(ref["shape"]), f"{t['name']}: shape {t['shape']} vs {ref['shape']}")
        data = raw[t["offset"] : t["offset"] + t["bytes"]]
        check(data == bytes(ref["data"]), f"{t['name']}: bytes at Matryx's offset differ")
        check(data == tensors[t["name"]][2], f"{t['name']}: bytes differ from what was written")
    # Tensors come in data-offset order.
    _, header = header_of(path)
    offsets = [header[t["name"]]["data_offsets"][0] for t in got["tensors"]]
    check(offsets == sorted(offsets), f"{path}: tensors not in data-offset order")
    return got


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)

    # (a) every dtype the library writes, with plain metadata
    tensors = raw_tensors(DTYPES)
    lib_file = tmp / "library.safetensors"
    serialize(tensors, lib_file, {"format": "pt", "note": "plain text metadata"})
    got = check_matryx_reads(lib_file, tensors)
    check(got["metadata"].get("format") == "pt", "plain metadata 'format' not read")
    check(got["metadata"].get("note") == "plain text metadata", "plain metadata 'note' not read")
    check(got["metadata_types"].get("note") == "STRING", "plain metadata is not a string")

    # numpy arrays through the library's usual API
    arrays = {
        "w": rng.standard_normal((4, 6)).astype(np.float32),
        "h": rng.standard_normal((3,)).astype(np.float16),
        "ids": np.arange(10, dtype=np.int64).reshape(2, 5),
        "mask": np.array([True, False, True]),
    }
    np_file = tmp / "numpy.safetensors"
    safetensors.numpy.save_file(arrays, str(np_file))
    raw = np_file.read_bytes()
    for t in dump(np_file)["tensors"]:
        a = arrays[t["name"]]
        check(raw[t["offset"] : t["offset"] + t["bytes"]] == a.tobytes(), f"numpy {t['name']}: bytes differ")
        check(list(reversed(t["shape"])) == list(a.shape), f"numpy {t['name']}: shape differs")

    # dtypes Matryx does not hold are refused with the field named
    for dtype in UNSUPPORTED:
        bad = tmp / f"{dtype}.safetensors"
        serialize(raw_tensors([dtype]), bad, None)
        run = subprocess.run([DUMP, str(bad)], capture_output=True, text=True)
        check(run.returncode == 2 and ".dtype" in run.stderr, f"{dtype}: expected a dtype error, got {run.stderr!r}")

    # (b) Matryx writes; the library loads
    out_file = tmp / "matryx.safetensors"
    copy(lib_file, out_file, "--sample-metadata")
    n, _ = header_of(out_file)
    check((8 + n) % 8 == 0, f"header size {n}: data section not 8-byte aligned")
    out_raw = out_file.read_bytes()
    loaded = {name: info for name, info in safetensors.deserialize(out_raw)}
    check(set(loaded) == set(tensors), "written tensor names differ")
    for name, (dtype, shape, data) in tensors.items():
        info = loaded.get(name)
        if info is None:
            continue
        check(info["dtype"] == DTYPES[dtype][0], f"written {name}: dtype {info['dtype']}")
        check(list(info["shape"]) == list(shape), f"written {name}: shape {info['shape']} != {shape}")
        check(bytes(info["data"]) == data, f"written {name}: data differs")

    # BF16 values through numpy: bf16 is the top half of an f32
    for name, (dtype, shape, data) in tensors.items():
        if dtype == "bfloat16" and name in loaded:
            ours = (np.frombuffer(bytes(loaded[name]["data"]), np.uint16).astype(np.uint32) << 16).view(np.float32)
            ref = (np.frombuffer(data, np.uint16).astype(np.uint32) << 16).view(np.float32)
            check(np.array_equal(ours, ref, equal_nan=True), f"written {name}: bf16 values differ")

    np_out = tmp / "matryx_numpy.safetensors"
    copy(np_file, np_out, "--sample-metadata")
    for name, array in safetensors.numpy.load_file(str(np_out)).items():
        check(array.dtype == arrays[name].dtype, f"numpy load {name}: dtype {array.dtype}")
        check(np.array_equal(array, arrays[name]), f"numpy load {name}: values differ")

    with safetensors.safe_open(str(out_file), framework="numpy") as f:
        meta = f.metadata()
    check(meta.get("format") == "pt", "written file lacks format: pt")
    check(meta.get("gguf:note") is not None, "plain metadata not carried as gguf:note")

    def typed(key):
        return json.loads(meta["gguf:" + key])

    def f32(x):
        return struct.unpack("<f", struct.pack("<f", x))[0]

    expected = {
        "note": {"type": "STRING", "value": "plain text metadata"},
        "sample.u8": {"type": "UINT8", "value": 200},
        "sample.i8": {"type": "INT8", "value": -100},
        "sample.u16": {"type": "UINT16", "value": 60000},
        "sample.i16": {"type": "INT16", "value": -30000},
        "sample.u32": {"type": "UINT32", "value": 4000000000},
        "sample.i32": {"type": "INT32", "value": -2000000000},
        "sample.u64": {"type": "UINT64", "value": 18446744073709551615},
        "sample.i64": {"type": "INT64", "value": -9223372036854775808},
        "sample.f64": {"type": "FLOAT64", "value": 0.1},
        "sample.bool": {"type": "BOOL", "value": True},
        "sample.string": {"type": "STRING", "value": 'h\u00e9llo "world"\n'},
        "sample.tokens": {"type": "ARRAY", "element": "STRING", "value": ["<s>", "\u2581the", ""]},
        "sample.nested": {"type": "ARRAY", "element": "ARRAY",
                          "value": [{"type": "ARRAY", "element": "INT32", "value": [-1]}]},
    }
    for key, want in expected.items():
        check(typed(key) == want, f"gguf:{key} = {meta.get('gguf:' + key)} != {want}")
    f32_value = typed("sample.f32")
    check(f32_value["type"] == "FLOAT32" and f32(f32_value["value"]) == f32(1e-5), f"gguf:sample.f32 = {f32_value}")
    scores = typed("sample.scores")
    check(scores["type"] == "ARRAY" and scores["element"] == "FLOAT32"
          and [f32(v) for v in scores["value"]] == [f32(-1000.0), f32(0.25)], f"gguf:sample.scores = {scores}")

    # Matryx reads its own file back with the typed values
    back = dump(out_file)
    check(back["metadata_types"].get("sample.u64") == "UINT64", "typed metadata not decoded on reading")
    # "format": "pt" that Matryx adds for loaders is no model metadata: a model without it reads
    # back without it
    check("format" not in dump(np_out)["metadata"], "'format' added by the writer came back as metadata")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("safetensors reference checks passed")
