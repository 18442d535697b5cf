#!/usr/bin/env python3
"""Matryx's matrix products give ggml's vec_dot results, bit for bit, for every weight type.

For each weight type Matryx multiplies directly, random weights (normal, with a few large
outliers) are quantized by ggml_quantize_chunk and random activations are drawn. ggml's CPU
library (libggml-cpu, as llama-cpp-python ships it) converts each activation row with its
vec_dot_type's from_float and calls the type's vec_dot for every (activation, weight row) pair:
this is what llama.cpp computes for a product it does not hand to a repacked or tinyBLAS kernel.
matryx-matmul-dump computes the same product with its best CPU kernels (one activation row and
a batch of rows, since Matryx has separate decode and prompt paths). Every output must be the
same float; the scalar kernels are also run and must agree to 1e-5 relative.

Usage: matmul_reference.py MATRYX_MATMUL_DUMP
Exits 1 on any difference, or when llama-cpp-python or numpy is missing.
"""

import ctypes
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import numpy as np
    from gguf.constants import GGMLQuantizationType as GT
except ImportError as e:
    print(f"FAIL: the reference venv lacks a package: {e}")
    sys.exit(1)

sys.path.insert(0, str(Path(__file__).parent))
from ggml_ctypes import load_ggml, quantize_chunk  # noqa: E402

# (type, row length): float rows also with a length that leaves a tail after ggml's steps of 32;
# 32-element blocks also with an odd block count (IQ4_NL pairs its blocks).
CASES = [("F32", 1024), ("F32", 1000), ("F16", 1024), ("F16", 1000), ("BF16", 1024), ("BF16", 1000),
         ("Q4_0", 1024), ("Q4_1", 1024), ("Q5_0", 1024), ("Q5_1", 1024), ("Q8_0", 1024), ("Q8_0", 992),
         ("IQ4_NL", 1024), ("IQ4_NL", 992), ("Q2_K", 1024), ("Q3_K", 1024), ("Q4_K", 1024), ("Q5_K", 1024),
         ("Q6_K", 1024), ("IQ4_XS", 1024)]
ROWS = 24
BATCH = 9


class CpuTraits(ctypes.Structure):
    """struct ggml_type_traits_cpu as ggml-cpu.h declares it."""
    _fields_ = [("from_float", ctypes.c_void_p), ("vec_dot", ctypes.c_void_p),
                ("vec_dot_type", ctypes.c_int), ("nrows", ctypes.c_int64)]


FROM_FLOAT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64)
VEC_DOT = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.POINTER(ctypes.c_float), ctypes.c_size_t,
                           ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)


def load_ggml_cpu(base_path):
    libs = sorted(Path(base_path).parent.glob("libggml-cpu.so*"))
    if not libs:
        return None
    cpu = ctypes.CDLL(str(libs[0]))
    cpu.ggml_get_type_traits_cpu.restype = ctypes.POINTER(CpuTraits)
    cpu.ggml_get_type_traits_cpu.argtypes = [ctypes.c_int]
    cpu.ggml_cpu_init.restype = None
    cpu.ggml_cpu_init()
    return cpu


def ggml_products(base, cpu, type_id, weights, x):
    k = x.shape[1]
    traits = cpu.ggml_get_type_traits_cpu(type_id).contents
    dot_type = traits.vec_dot_type
    from_float = FROM_FLOAT(cpu.ggml_get_type_traits_cpu(dot_type).contents.from_float)
    vec_dot = VEC_DOT(traits.vec_dot)
    row_bytes = base.ggml_row_size(type_id, k)
    out = np.zeros((x.shape[0], ROWS), dtype=np.float32)
    converted = np.zeros(base.ggml_row_size(dot_type, k), dtype=np.uint8)
    result = ctypes.c_float()
    for t in range(x.shape[0]):
        row = np.ascontiguousarray(x[t])
        from_float(row.ctypes.data, converted.ctypes.data, k)
        for r in range(ROWS):
            vec_dot(k, ctypes.byref(result), 0, weights.ctypes.data + r * row_bytes, 0,
                    converted.ctypes.data, 0, 1)
            out[t, r] = result.value
    return out


def matryx_products(tool, type_name, weights, x, tmp, *level):
    w, a, o = Path(tmp) / "w.bin", Path(tmp) / "x.bin", Path(tmp) / "out.bin"
    weights.tofile(w)
    np.ascontiguousarray(x, dtype=np.float32).tofile(a)
    result = subprocess.run([str(tool), type_name, str(x.shape[1]), str(w), str(a), str(o), *level],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"matryx-matmul-dump {type_name}: {result.stderr.strip()}")
    return np.fromfile(o, dtype=np.float32).reshape(x.shape[0], ROWS)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 1
    tool = Path(sys.argv[1])
    base, where = load_ggml()
    if base is None:
        print(f"FAIL: {where}")
        return 1
    cpu = load_ggml_cpu(where)
    if cpu is None:
        print(f"FAIL: no libggml-cpu next to {where}")
        return 1
    rng = np.random.default_rng(20261125)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, k in CASES:
            values = rng.standard_normal((ROWS, k)).astype(np.float32) * 0.05
            values.flat[rng.choice(values.size, 16, replace=False)] *= 40.0
            x = rng.standard_normal((BATCH, k)).astype(np.float32)
            x[:, rng.choice(k, 8, replace=False)] *= 30.0
            type_id = int(GT[name])
            weights = quantize_chunk(base, type_id, values)
            expected = ggml_products(base, cpu, type_id, weights, x)
            best_one = matryx_products(tool, name, weights, x[:1], tmp)
            best_batch = matryx_products(tool, name, weights, x, tmp)
            scalar = matryx_products(tool, name, weights, x, tmp, "scalar")
            same_one = int(np.sum(best_one == expected[:1]))
            same_batch = int(np.sum(best_batch == expected))
            scale = np.maximum(np.abs(expected), 1.0)
            scalar_rel = float(np.max(np.abs(scalar - expected) / scale))
            print(f"{name:7s} k={k:5d} decode {same_one}/{ROWS} identical, batch {same_batch}/{expected.size} identical, "
                  f"scalar max relative difference {scalar_rel:.2e}")
            if same_one != ROWS or same_batch != expected.size:
                worst = float(np.max(np.abs(best_batch - expected)))
                failures.append(f"{name} (k={k}): products differ from ggml's vec_dot (max |difference| {worst:.3e})")
            if scalar_rel > 1e-5:
                failures.append(f"{name} (k={k}): scalar kernels differ from ggml by {scalar_rel:.2e} relative")
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        print(f"OK: {len({name for name, _ in CASES})} weight types give ggml's vec_dot results bit for bit")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
