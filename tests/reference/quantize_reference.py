#!/usr/bin/env python3
"""Byte-for-byte check of Matryx's quantizers against code nobody here wrote.

Usage: quantize_reference.py PATH/TO/matryx-quantize-dump

Random rows (fixed seed) of many kinds -- normal, heavy-tailed, outlier columns, all-zero rows and
blocks, constant, one-signed, sparse, tiny (down to subnormal) and huge magnitudes, and a few rows
with NaN and infinities -- are quantized
by matryx-quantize-dump and by the references, and the bytes must be identical:
  - ggml itself: ggml_quantize_chunk from llama-cpp-python's libggml-base, the function
    llama-quantize calls, with imatrix NULL and with a random positive imatrix (for Q8_K, which
    ggml_quantize_chunk lacks, quantize_row_q8_K_ref);
  - gguf-py (llama.cpp's gguf.quants.quantize) for the types it quantizes, without imatrix, which
    gguf-py does not take, on the finite rows (numpy treats NaN and infinities differently from C).
Matryx runs on 1 and on 3 threads; both must give the same bytes. Prints a table
type x (no imatrix, imatrix) x (ggml, gguf-py) and exits 1 on any difference, or when numpy, gguf
or llama-cpp-python's ggml is missing.
"""

import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

try:
    import numpy as np
    from gguf import quants
    from gguf.constants import GGMLQuantizationType as GT
except ImportError as e:
    print(f"FAIL: the reference venv lacks numpy/gguf: {e}")
    sys.exit(1)

from ggml_ctypes import load_ggml, quantize_chunk, quantize_row_ref, type_traits

SEED = 0x71756E74
ROW_LENGTH = 1024
# A second, shorter row length for the 32- and 64-value block types: rows that end mid-super-block.
SHORT_ROW_LENGTH = 320
TYPES = ["Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K",
         "IQ4_NL", "IQ4_XS", "TQ1_0", "TQ2_0", "MXFP4", "NVFP4", "Q1_0", "Q2_0", "F16", "BF16", "F32"]
TYPE_IDS = {"Q1_0": 41, "Q2_0": 42, "Q8_K": 15}
# Byte offsets of the fp16 scale (and minimum) fields where gguf-py keeps the other zero than ggml:
# for an all-zero block ggml's search starts from +0.0 and gives d = +0.0 / -8 = -0.0, while
# gguf-py's argmax picks the block's first element; its min() returns either zero of a block that
# holds both. Only the sign bit of a zero field may differ, and only against gguf-py.
NON_FINITE = "NaN and inf"
ZERO_SIGN_FIELDS = {"Q4_0": (0,), "Q5_0": (0,), "Q4_1": (0, 2), "Q5_1": (0, 2)}


def row_kinds(rng, n):
    """(name, rows) pairs, a few rows each, all of length n."""
    def normal(rows, scale=0.02):
        return rng.standard_normal((rows, n)) * scale

    out = [("normal", normal(24)),
           ("student-t(3)", rng.standard_t(3, (16, n)) * 0.01),
           ("cauchy-ish", rng.standard_t(1, (8, n)) * 0.001),
           ("uniform", rng.uniform(-1, 1, (8, n))),
           ("positive", np.abs(normal(6)) + 0.01),
           ("negative", -np.abs(normal(6)) - 0.01),
           ("constant", np.full((2, n), 0.375)),
           ("zeros", np.zeros((3, n))),
           ("negative zeros", np.full((1, n), -0.0)),
           ("tiny 1e-30", normal(4, 1e-30)),
           ("subnormal 1e-40", normal(4, 1e-40)),
           ("huge 1e5", normal(4, 1e5)),
           ("huge 1e30", normal(4, 1e30))]
    outliers = normal(16)
    columns = rng.choice(n, size=max(1, n // 64), replace=False)
    outliers[:, columns] *= rng.uniform(20, 100, columns.size)
    out.append(("outlier columns", outliers))
    sparse = normal(8) * (rng.random((8, n)) < 0.05)
    out.append(("sparse", sparse))
    patchy = normal(8)
    for r in range(patchy.shape[0]):  # zero 32- and 256-value stretches at random places
        for _ in range(3):
            width = rng.choice([16, 32, 256])
            start = rng.integers(0, max(1, n - width))
            patchy[r, start:start + width] = 0
    out.append(("zero blocks", patchy))
    grid = (rng.integers(-8, 8, (4, n)) * 0.125)  # exactly on a 4-bit grid
    out.append(("on a grid", grid))
    # Not realistic, but quantize() promises ggml's bytes for any floats: a few NaNs and infinities.
    broken = normal(4)
    broken[0, rng.choice(n, 5, replace=False)] = np.nan
    broken[1, rng.choice(n, 5, replace=False)] = np.inf
    broken[2, rng.choice(n, 5, replace=False)] = -np.inf
    broken[3, :] = np.nan
    out.append((NON_FINITE, broken))
    return [(name, rows.astype(np.float32)) for name, rows in out]


def make_matrix(rng, n):
    """All row kinds stacked, and the kind of each row."""
    kinds = row_kinds(rng, n)
    return np.concatenate([rows for _, rows in kinds]), [name for name, rows in kinds for _ in rows]


def make_imatrix(rng, n):
    # Mean squared activations: positive, spread over orders of magnitude, a few dominant columns.
    w = np.exp(rng.normal(0, 1.5, n)) * 1e-2
    w[rng.choice(n, size=max(1, n // 100), replace=False)] *= 1e3
    return w.astype(np.float32)


def type_id(name):
    return TYPE_IDS[name] if name in TYPE_IDS else int(GT[name])


def block_size(lib, name):
    return type_traits(lib, type_id(name)).blck_size


def ggml_bytes(lib, name, rows, imatrix):
    if name == "Q8_K":
        return quantize_row_ref(lib, "q8_K", type_id(name), rows)
    return quantize_chunk(lib, type_id(name), rows, imatrix)


def gguf_bytes(name, rows):
    """gguf-py's bytes, or None where it has no quantizer for the type."""
    if name not in GT.__members__:
        return None
    if name == "F16":  # gguf-py leaves f32 -> f16 to numpy
        return rows.astype(np.float16).view(np.uint8).reshape(-1)
    try:
        return np.asarray(quants.quantize(rows, GT[name])).view(np.uint8).reshape(-1)
    except (NotImplementedError, TypeError):
        return None


def run_dump(tool, tmp, name, rows, imatrix, threads):
    src, dst = tmp / "rows.f32", tmp / "out.bin"
    rows.tofile(src)
    args = [tool, name, str(rows.shape[1]), str(src), str(dst), "--threads", str(threads)]
    if imatrix is not None:
        (tmp / "imatrix.f32").write_bytes(imatrix.tobytes())
        args += ["--imatrix", str(tmp / "imatrix.f32")]
    try:
        result = subprocess.run(args, capture_output=True, text=True)
    except OSError as e:
        return None, f"cannot run {tool}: {e}"
    if result.returncode != 0:
        return None, result.stderr.strip() or f"exit {result.returncode}"
    return np.fromfile(dst, dtype=np.uint8), None


def describe(ours, ref, rows, name, bsize, type_size, kinds_of_rows):
    if ours.size != ref.size:
        return f"{ours.size} vs {ref.size} bytes"
    bad = np.flatnonzero(ours != ref)
    if bad.size == 0:
        return "identical"
    blocks = np.unique(bad // type_size)
    per_row = rows.shape[1] // bsize
    kinds = sorted({kinds_of_rows[b // per_row] for b in blocks})
    return f"{bad.size} bytes differ ({blocks.size} blocks; {', '.join(kinds)})"


def only_zero_signs(ours, ref, name, type_size):
    """Number of fp16 fields that differ only as +0.0 against -0.0, if that is all that differs."""
    fields = ZERO_SIGN_FIELDS.get(name)
    if fields is None or ours.size != ref.size:
        return None
    a, b = ours.reshape(-1, type_size), ref.reshape(-1, type_size)
    allowed = np.zeros(type_size, dtype=bool)
    allowed[[f + 1 for f in fields]] = True
    diff = a != b
    if diff[:, ~allowed].any() or (diff & ((a ^ b) != 0x80)).any():
        return None
    for f in fields:  # both sides must be a zero: low byte 0, high byte 0x00 or 0x80
        rows = diff[:, f + 1]
        if (a[rows, f] | b[rows, f] | (a[rows, f + 1] & 0x7F) | (b[rows, f + 1] & 0x7F)).any():
            return None
    return int(diff.sum())


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
    shapes = {}
    for n in (ROW_LENGTH, SHORT_ROW_LENGTH):
        matrix, kinds_of_rows = make_matrix(rng, n)
        shapes[n] = (matrix, kinds_of_rows, make_imatrix(rng, n))

    warnings.simplefilter("ignore", RuntimeWarning)
    table = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="matryx-quant-") as tmpdir, np.errstate(all="ignore"):
        tmp = Path(tmpdir)
        for name in TYPES:
            bsize = block_size(lib, name)
            type_size = type_traits(lib, type_id(name)).type_size
            for n, (matrix, kinds_of_rows, imatrix) in shapes.items():
                if n % bsize != 0:
                    continue
                cells = []
                for weights in (None, imatrix):
                    ours, error = run_dump(tool, tmp, name, matrix, weights, 1)
                    if error is None:
                        threaded, error = run_dump(tool, tmp, name, matrix, weights, 3)
                        if error is None and not np.array_equal(ours, threaded):
                            error = f"3 threads differ from 1 in {int((ours != threaded).sum())} bytes"
                    if error:
                        cells += [f"ERROR: {error}", "-"]
                        failed = True
                        continue
                    ref = ggml_bytes(lib, name, matrix, weights)
                    verdict = describe(ours, ref, matrix, name, bsize, type_size, kinds_of_rows)
                    failed |= verdict != "identical"
                    cells.append(verdict)
                    # gguf-py follows numpy, not C, where NaN and infinities meet comparisons and
                    # integer casts: it is a reference for finite rows only.
                    finite = np.array([k != NON_FINITE for k in kinds_of_rows])
                    other = gguf_bytes(name, matrix[finite]) if weights is None else None
                    if other is None:
                        cells.append("-")
                    else:
                        ours = ours.reshape(matrix.shape[0], -1)[finite].reshape(-1)
                        kinds = [k for k in kinds_of_rows if k != NON_FINITE]
                        verdict = describe(ours, other, matrix[finite], name, bsize, type_size, kinds)
                        zero_signs = only_zero_signs(ours, other, name, type_size)
                        if verdict != "identical" and zero_signs is not None:
                            verdict = f"identical but {zero_signs} zero scales' signs"
                        else:
                            failed |= verdict != "identical"
                        cells.append(verdict)
                table.append((name, f"{matrix.shape[0]}x{n}", *cells))

    header = ("type", "rows", "ggml", "gguf-py", "ggml imatrix", "gguf-py imatrix")
    widths = [max(len(str(r[i])) for r in table + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in table:
        print(line(r))
    zero_signs = any("zero scales' signs" in str(c) for r in table for c in r)
    if zero_signs:
        print("gguf-py's zero scales: where every value of a block is zero, or its minimum is a zero of\n"
              "either sign, gguf-py stores +0.0 where ggml stores -0.0 or the reverse; Matryx writes ggml's.")
    but = " (gguf-py but for the signs of zero scales)" if zero_signs else ""
    print("FAIL" if failed else f"PASS: {len(table)} type/shape pairs byte-identical with ggml and gguf-py{but}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
