#!/usr/bin/env python3
"""Bit-exact check of Matryx's dequantization against code nobody here wrote.

Usage: dequantize_reference.py PATH/TO/matryx-dequantize-dump

For every tensor type, random blocks (fixed seed) go through matryx-dequantize-dump and through
the references, and the float32 bit patterns must be identical (a NaN matches any NaN):
  - gguf-py (llama.cpp's gguf.quants.dequantize) for every type it supports, F16/F32 via numpy;
  - ggml itself (libggml-base from llama-cpp-python, via ggml_get_type_traits(type)->to_float,
    or dequantize_row_q8_K) for every type it can convert;
  - formulas written here from the layouts, only where neither has a converter (Q8_1, F64, the
    integer types, BOOL, F8_E4M3, F8_E5M2).
The random bytes get realistic, finite scale fields (fp16, f32, E8M0, UE4M3) so the comparison
covers meaningful values; a few blocks at the end carry extreme scales (largest, subnormal, zero,
infinity, NaN). The f32 -> F16/BF16 direction (convertFromFloat) is checked the same way.
Exits 1 on any mismatch, or when numpy, gguf or llama-cpp-python's ggml is missing.
"""

import ctypes
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

try:
    import numpy as np
    import gguf
    from gguf import quants
    from gguf.constants import GGMLQuantizationType as GT
except ImportError as e:
    print(f"FAIL: the reference venv lacks numpy/gguf: {e}")
    sys.exit(1)

from ggml_ctypes import ROW_FN, load_ggml

SEED = 0x6D617472
N_BLOCKS = 400
F16_EXTREMES = [0x7BFF, 0xFBFF, 0x0001, 0x8001, 0x03FF, 0x0400, 0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00,
                0x7C01]
F32_EXTREMES = [0x7F7FFFFF, 0xFF7FFFFF, 0x00000001, 0x00800000, 0x00000000, 0x80000000, 0x7F800000,
                0xFF800000, 0x7FC00000, 0x7F800001, 0x477FE000, 0x3F800000]
E8M0_EXTREMES = [0, 1, 2, 3, 126, 127, 128, 200, 253, 254, 255, 64]
UE4M3_EXTREMES = [0x00, 0x7F, 0xFF, 0x80, 0x7E, 0xFE, 0x01, 0x81, 0x08, 0x38, 0x77, 0x0F]

# Block layouts from ggml-common.h: elements per block, bytes per block, scale fields.
# Kinds: f16, f32, e8m0, ue4m3 at a byte offset; iq1m: the fp16 scale spread over the top nibbles
# of four u16 starting at the offset.
LAYOUTS = {
    "Q4_0": (32, 18, [(0, "f16")]),
    "Q4_1": (32, 20, [(0, "f16"), (2, "f16")]),
    "Q5_0": (32, 22, [(0, "f16")]),
    "Q5_1": (32, 24, [(0, "f16"), (2, "f16")]),
    "Q8_0": (32, 34, [(0, "f16")]),
    "Q8_1": (32, 36, [(0, "f16"), (2, "f16")]),
    "Q2_K": (256, 84, [(80, "f16"), (82, "f16")]),
    "Q3_K": (256, 110, [(108, "f16")]),
    "Q4_K": (256, 144, [(0, "f16"), (2, "f16")]),
    "Q5_K": (256, 176, [(0, "f16"), (2, "f16")]),
    "Q6_K": (256, 210, [(208, "f16")]),
    "Q8_K": (256, 292, [(0, "f32")]),
    "IQ2_XXS": (256, 66, [(0, "f16")]),
    "IQ2_XS": (256, 74, [(0, "f16")]),
    "IQ3_XXS": (256, 98, [(0, "f16")]),
    "IQ1_S": (256, 50, [(0, "f16")]),
    "IQ4_NL": (32, 18, [(0, "f16")]),
    "IQ3_S": (256, 110, [(0, "f16")]),
    "IQ2_S": (256, 82, [(0, "f16")]),
    "IQ4_XS": (256, 136, [(0, "f16")]),
    "IQ1_M": (256, 56, [(48, "iq1m")]),
    "TQ1_0": (256, 54, [(52, "f16")]),
    "TQ2_0": (256, 66, [(64, "f16")]),
    "MXFP4": (32, 17, [(0, "e8m0")]),
    "NVFP4": (64, 36, [(i, "ue4m3") for i in range(4)]),
    "Q1_0": (128, 18, [(0, "f16")]),
    "Q2_0": (64, 18, [(0, "f16")]),
}
GGML_IDS = {"F32": 0, "F16": 1, "BF16": 30, "F64": 28, "I8": 24, "I16": 25, "I32": 26, "I64": 27,
            "Q1_0": 41, "Q2_0": 42, "Q8_1": 9, "Q8_K": 15}
PLAIN = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I8": 1, "I16": 2, "I32": 4, "I64": 8, "U8": 1,
         "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1}


def ggml_converter(lib, name):
    """(block_size, type_size, to_float) from ggml, or None where ggml has no converter."""
    type_id = int(GT[name]) if name in GT.__members__ else GGML_IDS.get(name)
    if type_id is None:
        return None
    traits = lib.ggml_get_type_traits(type_id).contents
    fn = traits.to_float
    if not fn and name == "Q8_K":  # not in the traits table, but exported
        fn = ctypes.cast(lib.dequantize_row_q8_K, ctypes.c_void_p).value
    if not fn:
        return None
    return traits.blck_size, traits.type_size, ROW_FN(fn)


def realistic_scales(rng, kind, n):
    if kind in ("f16", "iq1m"):
        v = rng.choice([-1.0, 1.0], n) * 10.0 ** rng.uniform(-5, 0, n)
        return v.astype(np.float16).view(np.uint16).astype(np.uint32)
    if kind == "f32":
        v = rng.choice([-1.0, 1.0], n) * 10.0 ** rng.uniform(-7, -1, n)
        return v.astype(np.float32).view(np.uint32)
    if kind == "e8m0":
        return (127 + rng.integers(-24, 9, n)).astype(np.uint32)
    return rng.integers(0x08, 0x60, n).astype(np.uint32)  # ue4m3: about 2^-6 .. 2^5


EXTREMES = {"f16": F16_EXTREMES, "iq1m": F16_EXTREMES, "f32": F32_EXTREMES, "e8m0": E8M0_EXTREMES,
            "ue4m3": UE4M3_EXTREMES}


def put_scale(blocks, offset, kind, values):
    values = np.asarray(values, dtype=np.uint32)
    if kind in ("f16",):
        blocks[:, offset:offset + 2] = values.astype(np.uint16).view(np.uint8).reshape(-1, 2)
    elif kind == "f32":
        blocks[:, offset:offset + 4] = values.view(np.uint8).reshape(-1, 4)
    elif kind in ("e8m0", "ue4m3"):
        blocks[:, offset] = values.astype(np.uint8)
    else:  # iq1m: nibble k of the fp16 goes to the top nibble of u16 k
        sc = blocks[:, offset:offset + 8].copy().view(np.uint16)
        for k in range(4):
            sc[:, k] = (sc[:, k] & 0x0FFF) | (((values >> (4 * k)) & 0xF) << 12).astype(np.uint16)
        blocks[:, offset:offset + 8] = sc.view(np.uint8)


def make_blocks(rng, name):
    block_size, type_size, fields = LAYOUTS[name]
    blocks = rng.integers(0, 256, (N_BLOCKS, type_size), dtype=np.uint8)
    n_extreme = len(F16_EXTREMES)
    for offset, kind in fields:
        values = realistic_scales(rng, kind, N_BLOCKS)
        values[-n_extreme:] = EXTREMES[kind]
        put_scale(blocks, offset, kind, values)
    return blocks.reshape(-1)


def make_plain(rng, name):
    if name in ("F16", "BF16"):  # every bit pattern, twice
        return np.tile(np.arange(65536, dtype=np.uint16), 2).view(np.uint8)
    if name in ("F8_E4M3", "F8_E5M2", "U8", "I8"):
        return np.tile(np.arange(256, dtype=np.uint8), 64)
    if name == "BOOL":
        return np.concatenate([rng.integers(0, 2, 4096, dtype=np.uint8), np.arange(256, dtype=np.uint8)])
    if name == "F32":
        bits = rng.integers(0, 2**32, 16384, dtype=np.uint64).astype(np.uint32)
        return np.concatenate([bits, np.array(F32_EXTREMES, dtype=np.uint32)]).view(np.uint8)
    if name == "F64":
        normal = rng.standard_normal(8192) * 10.0 ** rng.uniform(-45, 45, 8192)
        signs = rng.integers(0, 2, 4096, dtype=np.uint64) << np.uint64(63)
        bits = rng.integers(0, 2**63, 4096, dtype=np.uint64) | signs
        f = rng.standard_normal(4096).astype(np.float32).astype(np.float64)
        ties = f + np.spacing(f.astype(np.float32)).astype(np.float64) / 2  # exactly halfway
        hexes = ["0x1.fffffep127", "0x1.ffffffp127", "-0x1.ffffffp127", "0x1.fffffefffffffp127", "0x1p-150",
                 "0x1.0000000000001p-150", "0x1p-149", "0x1.8p-149", "0x1.000001p0", "0x1.000003p0"]
        special = [np.inf, -np.inf, np.nan, 0.0, -0.0, 1e39, 1e-46] + [float.fromhex(h) for h in hexes]
        special = np.array(special, dtype=np.float64)
        return np.concatenate([normal.view(np.uint64), bits, ties.view(np.uint64),
                               special.view(np.uint64)]).view(np.uint8)
    width = {"I16": 2, "I32": 4, "I64": 8}[name]
    return rng.integers(0, 256, 8192 * width, dtype=np.uint8)


def e4m3_formula(b):
    sign = np.where(b & 0x80, -1.0, 1.0)
    exp = (b >> 3) & 0xF
    man = (b & 7).astype(np.float64)
    v = np.where(exp == 0, man * 2.0**-9, (1 + man / 8) * 2.0 ** (exp.astype(np.float64) - 7))
    return np.where((b & 0x7F) == 0x7F, np.nan, sign * v).astype(np.float32)


def e5m2_formula(b):
    sign = np.where(b & 0x80, -1.0, 1.0)
    exp = (b >> 2) & 0x1F
    man = (b & 3).astype(np.float64)
    with np.errstate(over="ignore"):
        v = np.where(exp == 0, man * 2.0**-16, (1 + man / 4) * 2.0 ** (exp.astype(np.float64) - 15))
    v = np.where(exp == 31, np.where(man == 0, np.inf, np.nan), v)
    return (sign * v).astype(np.float32)


def formula(name, raw):
    """Formulas written from the layouts, for the types no reference library converts."""
    if name == "Q8_1":
        blocks = raw.reshape(-1, 36)
        d = blocks[:, 0:2].copy().view(np.float16).astype(np.float32)
        return (blocks[:, 4:].view(np.int8).astype(np.float32) * d).reshape(-1)
    numpy_types = {"F64": np.float64, "I8": np.int8, "I16": np.int16, "I32": np.int32, "I64": np.int64,
                   "U8": np.uint8}
    if name in numpy_types:
        return raw.view(numpy_types[name]).astype(np.float32)
    if name == "BOOL":
        return (raw != 0).astype(np.float32)
    if name == "F8_E4M3":
        return e4m3_formula(raw)
    if name == "F8_E5M2":
        return e5m2_formula(raw)
    return None


def gguf_reference(name, raw):
    if name == "F32":
        return raw.view(np.float32)
    if name == "F16":
        return raw.view(np.float16).astype(np.float32)
    if name in GT.__members__ and GT[name] in quants._type_traits:
        return quants.dequantize(raw, GT[name]).reshape(-1).astype(np.float32, copy=False)
    return None


def ggml_reference(conv, raw, n):
    if conv is None:
        return None
    out = np.zeros(n, dtype=np.float32)
    conv[2](raw.ctypes.data, out.ctypes.data, n)
    return out


def mismatches(ours, ref):
    if ref.shape != ours.shape:
        return max(ref.size, ours.size)
    same = (ours.view(np.uint32) == ref.view(np.uint32)) | (np.isnan(ours) & np.isnan(ref))
    return int((~same).sum())


def run_dump(tool, args):
    try:
        result = subprocess.run([tool, *args], capture_output=True, text=True)
    except OSError as e:
        return f"cannot run {tool}: {e}"
    if result.returncode != 0:
        return result.stderr.strip() or f"exit {result.returncode}"
    return None


def check_dequantize(tool, tmp, lib, rng, rows):
    failed = False
    for name in list(LAYOUTS) + list(PLAIN):
        block_size, type_size = (LAYOUTS[name][0], LAYOUTS[name][1]) if name in LAYOUTS else (1, PLAIN[name])
        raw = make_blocks(rng, name) if name in LAYOUTS else make_plain(rng, name)
        n = raw.size // type_size * block_size
        src, dst = tmp / f"{name}.in", tmp / f"{name}.out"
        raw.tofile(src)
        error = run_dump(tool, [name, str(src), str(dst)])
        ours = None if error else np.fromfile(dst, dtype=np.float32)

        conv = ggml_converter(lib, name)
        if conv is not None and (conv[0], conv[1]) != (block_size, type_size):
            error = f"ggml: {conv[0]} values in {conv[1]} bytes; test layout: {block_size} in {type_size}"
        refs = {"gguf-py": gguf_reference(name, raw), "ggml": ggml_reference(conv, raw, n)}
        refs["formula"] = formula(name, raw) if refs["gguf-py"] is None and refs["ggml"] is None else None
        if all(ref is None for ref in refs.values()):
            error = error or "no reference converts this type"
        cells = []
        bad_total = 0
        for ref in refs.values():
            if ref is None or ours is None:
                cells.append("-")
                continue
            bad = mismatches(ours, ref)
            bad_total += bad
            cells.append("identical" if bad == 0 else f"{bad} differ")
        result = error or ("OK" if bad_total == 0 else "MISMATCH")
        failed |= result != "OK"
        rows.append((name, raw.size // type_size if name in LAYOUTS else "-", n, *cells, result))
    return failed


def check_from_float(tool, tmp, lib, rng, rows):
    # Every sign/exponent/top-mantissa combination with low bits at and around the fp16 and bf16
    # rounding points, exact ties in fp16's subnormal range, and random patterns.
    high = np.arange(2**19, dtype=np.uint32) << np.uint32(13)
    lows = [0x0000, 0x0001, 0x0FFF, 0x1000, 0x1001, 0x1FFF]
    values = [high | np.uint32(low) for low in lows]
    values.append(np.arange(2**16, dtype=np.uint32) << np.uint32(16) | np.uint32(0x8000))  # bf16 ties
    values.append((np.arange(4097, dtype=np.float32) * np.float32(2.0**-25)).view(np.uint32))
    values.append(rng.integers(0, 2**32, 1 << 18, dtype=np.uint64).astype(np.uint32))
    bits = np.concatenate(values)
    floats = bits.view(np.float32)
    src = tmp / "from_float.in"
    floats.tofile(src)
    failed = False

    fp16_row = lib.ggml_fp32_to_fp16_row
    bf16_row = lib.ggml_fp32_to_bf16_row_ref
    for fn in (fp16_row, bf16_row):
        fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        fn.restype = None
    for name in ("F16", "BF16"):
        dst = tmp / f"from_float.{name}"
        error = run_dump(tool, ["--from-float", name, str(src), str(dst)])
        ours = None if error else np.fromfile(dst, dtype=np.uint16)
        ggml_out = np.zeros(floats.size, dtype=np.uint16)
        (fp16_row if name == "F16" else bf16_row)(floats.ctypes.data, ggml_out.ctypes.data, floats.size)
        with np.errstate(all="ignore"):
            other = floats.astype(np.float16).view(np.uint16) if name == "F16" else \
                quants.quantize(floats, GT.BF16).view(np.uint16)
        if name == "F16":
            nan = lambda h: ((h & 0x7C00) == 0x7C00) & ((h & 0x03FF) != 0)
        else:
            nan = lambda h: ((h & 0x7F80) == 0x7F80) & ((h & 0x007F) != 0)
        cells = []
        bad_total = 0
        for ref in (other, ggml_out):
            if ours is None:
                cells.append("-")
                continue
            bad = int((~((ours == ref) | (nan(ours) & nan(ref)))).sum())
            bad_total += bad
            cells.append("identical" if bad == 0 else f"{bad} differ")
        result = error or ("OK" if bad_total == 0 else "MISMATCH")
        failed |= result != "OK"
        # gguf-py has no f32 -> f16 converter of its own (it calls numpy): numpy is that column.
        label = "numpy: " if name == "F16" else ""
        rows.append((f"f32->{name}", "-", floats.size, label + cells[0], cells[1], "-", result))
    return failed


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 1
    tool = sys.argv[1]
    if not Path(tool).is_file():
        print(f"FAIL: no dump tool at {tool}")
        return 1
    lib, where = load_ggml()
    if lib is None:
        print(f"FAIL: {where}")
        return 1
    from importlib.metadata import version
    print(f"gguf-py {version('gguf')}, numpy {np.__version__}, ggml: {where}")
    rng = np.random.default_rng(SEED)
    rows = []
    warnings.simplefilter("ignore", RuntimeWarning)
    with tempfile.TemporaryDirectory(prefix="matryx-dequant-") as tmpdir, np.errstate(all="ignore"):
        tmp = Path(tmpdir)
        failed = check_dequantize(tool, tmp, lib, rng, rows)
        failed |= check_from_float(tool, tmp, lib, rng, rows)

    header = ("type", "blocks", "values", "gguf-py", "ggml", "formula", "result")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print("FAIL" if failed else f"PASS: {len(rows)} conversions bit-identical with their references")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
