"""Tensor statistics: Matryx (bench_stats) next to numpy on the same tensors.

bench_stats --dump writes its 4096 x 4096 inputs (Q4_K, Q8_0, F16, F32); numpy computes the same
statistics from gguf-py's dequantization of them, single-threaded:
  summary  NaN/inf counts, min, max, mean, std, excess kurtosis, outlier count (|x - mean| > 6 std)
  full     also 256-bin linear and symlog histograms over [min, max], the 32 largest |x| with their
           indices, per-row and per-column max |x|
Then bench_stats runs, and a table gives GB/s of tensor bytes and Matryx 1 thread / numpy.

usage: stats_bench.py BENCH_STATS [--repeats N] [bench_stats options, e.g. --benchmark_min_time=0.5]
Run it with the reference venv's python (gguf, numpy).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from gguf import GGMLQuantizationType
from gguf.quants import dequantize

BINS = 256
K = 6.0
TOP = 32


def summary(x):
    finite = np.isfinite(x)
    f = x[finite].astype(np.float64)
    lo, hi = f.min(), f.max()
    mean = f.mean()
    d = f - mean
    d2 = d * d
    m2 = d2.mean()
    kurt = (d2 * d2).mean() / (m2 * m2) - 3.0
    outliers = int((np.abs(d) > K * np.sqrt(m2)).sum())
    return finite, f, lo, hi, np.sqrt(m2), kurt, outliers


def full(x, row_length):
    finite, f, lo, hi, std, _, _ = summary(x)
    np.histogram(f, bins=np.linspace(lo, hi, BINS + 1))
    t = lambda v: np.sign(v) * np.log1p(np.abs(v) / std) / np.log(10.0)
    edges = np.linspace(t(lo), t(hi), BINS + 1)
    np.histogram(f, bins=np.sign(edges) * std * np.expm1(np.abs(edges) * np.log(10.0)))
    a = np.where(finite, np.abs(x), np.float32(0))
    top = np.argpartition(a, a.size - TOP)[a.size - TOP:]
    top[np.lexsort((top, -a[top]))]
    rows = a.reshape(-1, row_length)
    rows.max(axis=1)
    rows.max(axis=0)


def time_numpy(path, qtype, row_length, rows, mode, repeats):
    raw = np.fromfile(path, dtype=np.uint8).reshape(rows, -1)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        x = dequantize(raw, qtype).reshape(-1)
        if mode == "summary":
            summary(x)
        else:
            full(x, row_length)
        best = min(best, time.perf_counter() - start)
    return raw.size / best / 1e9


def main():
    bench = sys.argv[1]
    args = sys.argv[2:]
    repeats = 2
    if "--repeats" in args:
        i = args.index("--repeats")
        repeats = int(args[i + 1])
        del args[i:i + 2]
    with tempfile.TemporaryDirectory() as tmp:
        lines = subprocess.run([bench, "--dump", tmp], check=True, capture_output=True, text=True).stdout
        inputs = [line.split() for line in lines.splitlines()]
        peer = {}
        for path, row_length, rows in inputs:
            name = os.path.basename(path)[:-4]
            for mode in ("summary", "full"):
                peer[(name, mode)] = time_numpy(path, GGMLQuantizationType[name], int(row_length), int(rows),
                                                mode, repeats)
                print(f"numpy {mode}/{name}: {peer[(name, mode)]:.3f} GB/s", flush=True)
        out = os.path.join(tmp, "bench.json")
        env = dict(os.environ, OMP_WAIT_POLICY=os.environ.get("OMP_WAIT_POLICY", "passive"))
        subprocess.run([bench, f"--benchmark_out={out}", "--benchmark_out_format=json", *args], check=True, env=env)
        with open(out) as f:
            runs = json.load(f)["benchmarks"]
    rates = {r["name"]: r["GB/s"] for r in runs if "GB/s" in r}

    print(f"\n{'type':6} {'mode':8} {'Matryx 1t':>10} {'Matryx 2t':>10} {'numpy 1t':>10} {'1t ratio':>9}")
    print(f"{'':6} {'':8} {'GB/s':>10} {'GB/s':>10} {'GB/s':>10} {'Mx/numpy':>9}")
    for path, _, _ in inputs:
        name = os.path.basename(path)[:-4]
        for mode in ("summary", "full"):
            one = rates.get(f"{mode}/{name}/threads:1/real_time", float("nan"))
            two = rates.get(f"{mode}/{name}/threads:2/real_time", float("nan"))
            theirs = peer[(name, mode)]
            print(f"{name:6} {mode:8} {one:10.3f} {two:10.3f} {theirs:10.3f} {one / theirs:9.1f}")


if __name__ == "__main__":
    main()
