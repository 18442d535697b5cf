"""`matryx-cli stats --json` agrees with numpy on every tensor of the demo GGUF model (values from
gguf-py's dequantization) and of all-MiniLM-L6-v2 (values from the safetensors package).

Moments must agree to a relative 1e-6; min, max, absmax, per-row and per-column maxima, the
top-outlier list (|x| descending, ties by flat index) and NaN/inf counts exactly; histogram edges
must be numpy.linspace's (linear) or the symlog transform's (to 1e-12), and the counts in them
exactly what numpy.histogram counts with those edges. Outlier counts must lie between numpy's
counts with the threshold moved by a relative 1e-9 either way: the threshold is k times a
standard deviation that may differ from numpy's in the last bits.

usage: stats_reference.py MATRYX_CLI DEMO_MODEL MINILM_DIR
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize
from safetensors.numpy import load_file

BINS = 256
K = 6.0
TOP = 32


def run_stats(cli, path):
    args = [cli, "stats", str(path), "--json", "-q", "--absmax-vectors", "--threads", "2",
            "--bins", str(BINS), "--k", str(K), "--top", str(TOP)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["tensors"]


def nan_if_none(v):
    return float("nan") if v is None else float(v)


def close(ours, theirs, rel, abs_tol=0.0):
    ours, theirs = nan_if_none(ours), float(theirs)
    if np.isnan(theirs):
        return np.isnan(ours)
    return abs(ours - theirs) <= rel * abs(theirs) + abs_tol


def symlog(x, c):
    return np.sign(x) * np.log1p(np.abs(x) / c) / np.log(10.0)


def inverse_symlog(t, c):
    return np.sign(t) * c * np.expm1(np.abs(t) * np.log(10.0))


def top_outliers(x, finite, k):
    """(row, column, value) of the k finite values of largest |x|, ties to the smaller index."""
    a = np.where(finite, np.abs(x), -1.0)
    k = min(k, int(finite.sum()))
    if k == 0:
        return []
    kth = np.partition(a, a.size - k)[a.size - k]
    idx = np.nonzero(a >= kth)[0]
    order = np.lexsort((idx, -a[idx]))[:k]
    return [int(i) for i in idx[order]]


def check_tensor(name, x, row_length, ours, failures):
    def fail(what, a, b):
        failures.append(f"{name}: {what}: matryx {str(a)[:100]} != numpy {str(b)[:100]}")

    x = np.ascontiguousarray(x, dtype=np.float32).reshape(-1)
    finite = np.isfinite(x)
    f = x[finite].astype(np.float64)
    n = f.size
    if ours["elements"] != x.size:
        fail("elements", ours["elements"], x.size)
    for key, ref in (("finite", n), ("nan", int(np.isnan(x).sum())), ("inf", int(np.isinf(x).sum()))):
        if ours[key] != ref:
            fail(key, ours[key], ref)
    if n == 0:
        return
    lo, hi = float(f.min()), float(f.max())
    mean = f.mean()
    d = f - mean
    m2 = np.mean(d * d)
    std = np.sqrt(m2)
    kurt = np.mean(d ** 4) / (m2 * m2) - 3.0 if m2 > 0 else float("nan")
    for key, ref in (("min", lo), ("max", hi), ("absmax", max(abs(lo), abs(hi)))):
        if nan_if_none(ours[key]) != ref:
            fail(key, ours[key], ref)
    if not close(ours["mean"], mean, 1e-6, 1e-12 * max(std, abs(lo), abs(hi))):
        fail("mean", ours["mean"], mean)
    if not close(ours["std"], std, 1e-6):
        fail("std", ours["std"], std)
    if not close(ours["excess_kurtosis"], kurt, 1e-6, 1e-9):
        fail("excess kurtosis", ours["excess_kurtosis"], kurt)

    dev = np.abs(d)
    threshold = K * std
    most = int((dev > threshold * (1 - 1e-9)).sum())
    least = int((dev > threshold * (1 + 1e-9)).sum())
    if not least <= ours["outliers"] <= most:
        fail("outliers", ours["outliers"], (least, most))

    want = top_outliers(x, finite, TOP)
    got = [(o["row"], o["column"], o["value"]) for o in ours["top_outliers"]]
    ref = [(i // row_length, i % row_length, float(x[i])) for i in want]
    if got != ref:
        fail("top outliers", got[:4], ref[:4])

    zeroed = np.where(finite, np.abs(x), np.float32(0)).reshape(-1, row_length)
    if ours["row_absmax"] != zeroed.max(axis=1).astype(np.float64).tolist():
        fail("row absmax", ours["row_absmax"][:4], zeroed.max(axis=1)[:4])
    if ours["column_absmax"] != zeroed.max(axis=0).astype(np.float64).tolist():
        fail("column absmax", ours["column_absmax"][:4], zeroed.max(axis=0)[:4])

    first, last = (lo - 0.5, hi + 0.5) if lo == hi else (lo, hi)
    edges = np.array(ours["histogram"]["edges"], dtype=np.float64)
    if not np.array_equal(edges, np.linspace(first, last, BINS + 1)):
        fail("linear edges", edges[:3], np.linspace(first, last, BINS + 1)[:3])
    counts = np.histogram(f, bins=edges)[0]
    if ours["histogram"]["counts"] != counts.tolist():
        fail("linear histogram", ours["histogram"]["counts"][:8], counts[:8])

    sym = ours["symlog_histogram"]
    c = sym["linthresh"]
    if not close(c, std if std > 0 else 1.0, 1e-6):
        fail("symlog linthresh", c, std)
    sedges = np.array(sym["edges"], dtype=np.float64)
    want_edges = inverse_symlog(np.linspace(symlog(first, c), symlog(last, c), BINS + 1), c)
    want_edges[0], want_edges[-1] = first, last
    if sedges.shape != want_edges.shape or not np.allclose(
            sedges, want_edges, rtol=1e-12, atol=1e-12 * max(abs(first), abs(last))):
        fail("symlog edges", sedges[:3], want_edges[:3])
    scounts = np.histogram(f, bins=sedges)[0]
    if sym["counts"] != scounts.tolist():
        fail("symlog histogram", sym["counts"][:8], scounts[:8])
    for h in (ours["histogram"], sym):
        if h["below"] or h["above"]:
            fail("values outside [min, max]", (h["below"], h["above"]), (0, 0))


def main():
    cli, demo, minilm = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    failures = []
    checked = 0

    reader = GGUFReader(demo)
    ours = run_stats(cli, demo)
    if [t["name"] for t in ours] != [t.name for t in reader.tensors]:
        failures.append("demo model: tensor names or order differ")
    for t, o in zip(reader.tensors, ours):
        if o["shape"] != [int(v) for v in t.shape]:
            failures.append(f"{t.name}: shape {o['shape']} != {list(t.shape)}")
            continue
        check_tensor(t.name, dequantize(t.data, t.tensor_type), int(t.shape[0]), o, failures)
        checked += 1

    weights = load_file(minilm / "model.safetensors")
    ours = {t["name"]: t for t in run_stats(cli, minilm / "model.safetensors")}
    if sorted(ours) != sorted(weights):
        failures.append("all-MiniLM: tensor names differ")
    for name, array in weights.items():
        o = ours.get(name)
        if o is None:
            continue
        if o["shape"] != list(reversed(array.shape)):
            failures.append(f"{name}: shape {o['shape']} != reversed {list(array.shape)}")
            continue
        row_length = array.shape[-1] if array.ndim else 1
        check_tensor(name, array.astype(np.float32), row_length, o, failures)
        checked += 1

    print(f"compared statistics of {checked} tensors")
    for f in failures[:50]:
        print("MISMATCH", f)
    if failures:
        print(f"{len(failures)} mismatches")
        sys.exit(1)


if __name__ == "__main__":
    main()
