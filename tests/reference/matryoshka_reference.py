#!/usr/bin/env python3
"""matryx-cli quantize --matryoshka and matryx-cli slice on the demo model, checked with gguf-py,
numpy and llama.cpp.

1. The nested file: gguf-py reads every nested tensor as I8 codes with F16 scales and minimums
   per group of 32 (the layout in the README), and the matryx.matryoshka.* keys.
2. Slices recomputed here with numpy from the nested file alone (q_r = min((q + 2^(7-r)) >>
   (8-r), 2^r - 1), w = s 2^(8-r) q_r + m): the 4- and 5-bit slices (Q4_1, Q5_1) dequantize with
   gguf-py to exactly these values for every nested tensor; the 8-bit slice's Q8_0 bytes are the
   bytes gguf-py's own Q8_0 quantizer makes of the numpy slice.
3. The error report (--verbose): for sampled tensors, the slice RMSE and round-to-nearest RMSE
   printed for each width agree with numpy's (relative 1e-3) against the source's values.
4. llama.cpp (llama-cpp-python) loads the 4-bit slice, the 8-bit slice and a Mix'n'Match slice
   (blocks 0-3 at 8 bits, the rest at 4) and generates text greedily.

Usage: matryoshka_reference.py PATH/TO/matryx-cli DEMO_MODEL.gguf
Exits 1 on any difference, or when the venv, the tool or the model is missing.
"""

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quantize_pipeline_reference import field_value, greedy_text

try:
    import gguf
    import numpy as np
except ImportError as e:
    print(f"FAIL: the reference venv lacks a package: {e}")
    sys.exit(1)

GROUP = 32
SAMPLED = ("token_embd.weight", "blk.0.attn_q.weight", "blk.7.ffn_down.weight", "blk.29.attn_v.weight")
EXPECTED_TYPES = {8: "Q8_0", 6: "Q6_K", 5: "Q5_1", 4: "Q4_1", 3: "Q3_K", 2: "Q2_K"}


def run(cmd):
    start = time.monotonic()
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout[-3000:]}{r.stderr[-3000:]}")
    print(f"  [{time.monotonic() - start:5.1f} s] {Path(str(cmd[0])).name} "
          f"{' '.join(Path(str(c)).name if '/' in str(c) else str(c) for c in cmd[1:])}")
    return r.stdout, r.stderr


def slice_values(codes, scales, mins, bits):
    """The r-bit slice in float32, one product and one sum per value as the format defines it."""
    q = codes.astype(np.int32) + 128
    if bits < 8:
        shift = 8 - bits
        q = np.minimum((q + (1 << (shift - 1))) >> shift, (1 << bits) - 1)
    step = scales.astype(np.float32) * np.float32(1 << (8 - bits))
    m = mins.astype(np.float32)
    return q.astype(np.float32) * np.repeat(step, GROUP, axis=-1) + np.repeat(m, GROUP, axis=-1)


def round_to_nearest(x, bits):
    """Asymmetric min-max per group of 32 with fp16 d and m, as the report's RTN column."""
    top = (1 << bits) - 1
    g = x.reshape(-1, GROUP).astype(np.float32)
    lo, hi = g.min(axis=1, keepdims=True), g.max(axis=1, keepdims=True)
    d = ((hi - lo) / np.float32(top)).astype(np.float16).astype(np.float32)
    m = lo.astype(np.float16).astype(np.float32)
    inv = np.where(d > 0, np.float32(1) / np.where(d > 0, d, 1), 0).astype(np.float32)
    v = np.clip((g - m) * inv, 0, top)
    return (np.floor(v + np.float32(0.5)) * d + m).reshape(x.shape)


def rmse(a, b):
    return float(np.sqrt(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)))


def parse_report(text):
    """tensor -> {bits: (export type, exact?, slice RMSE, export RMSE, RTN RMSE)} from --verbose."""
    report, name = {}, None
    for line in text.splitlines():
        cells = line.split()
        if len(cells) == 8 and cells[1].isdigit():
            name = cells[0]
        elif len(cells) == 7 and cells[0].isdigit() and name:
            cells = [name] + cells
        else:
            name = None if not line.startswith(" ") else name
            continue
        report.setdefault(cells[0], {})[int(cells[1])] = (cells[2], cells[3] == "exact", float(cells[4]),
                                                          float(cells[5]), float(cells[6]))
    return report


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    cli, demo = Path(sys.argv[1]), Path(sys.argv[2])
    for p in (cli, demo):
        if not p.is_file():
            print(f"FAIL: missing: {p}")
            return 1
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        nested_path = tmp / "demo-nested.gguf"
        out, _ = run([cli, "quantize", demo, nested_path, "--matryoshka", "--verbose", "--threads", 2, "--quiet"])
        report = parse_report(out)
        total = [line for line in out.splitlines() if line.startswith("(all nested tensors")]
        lines = out.splitlines()
        for line in lines[:1] + lines[-len(EXPECTED_TYPES):]:  # the header and the totals
            print("  " + line)

        nested = gguf.GGUFReader(nested_path)
        source = gguf.GGUFReader(demo)
        src = {t.name: t for t in source.tensors}
        ts = {t.name: t for t in nested.tensors}
        keys = {k: field_value(nested, f"matryx.matryoshka.{k}") for k in ("version", "group_size", "bits")}
        if keys != {"version": 1, "group_size": 32, "bits": 8} or not total:
            print(f"FAIL nested file: keys {keys}, total line present: {bool(total)}")
            ok = False
        codes_names = [n for n in ts if n + ".matryoshka_scale" in ts]
        bad_layout = [n for n in codes_names
                      if ts[n].tensor_type != gguf.GGMLQuantizationType.I8
                      or ts[n + ".matryoshka_scale"].tensor_type != gguf.GGMLQuantizationType.F16
                      or ts[n + ".matryoshka_min"].tensor_type != gguf.GGMLQuantizationType.F16
                      or list(ts[n + ".matryoshka_min"].shape) != [int(ts[n].shape[0]) // GROUP]
                      + [int(d) for d in ts[n].shape[1:]]]
        matrices = [n for n, t in src.items() if len([d for d in t.shape if d > 1]) >= 2]
        if bad_layout or sorted(codes_names) != sorted(matrices) or len(report) != len(codes_names):
            print(f"FAIL nested layout: {len(codes_names)} nested of {len(matrices)} matrices, "
                  f"{len(report)} in the report, bad: {bad_layout[:5]}")
            ok = False
        else:
            print(f"ok   nested file: {len(codes_names)} matrices as I8 codes + F16 scales and minimums, "
                  f"{len(ts) - 3 * len(codes_names)} tensors carried")

        def nested_parts(name):
            return (np.asarray(ts[name].data), np.asarray(ts[name + ".matryoshka_scale"].data),
                    np.asarray(ts[name + ".matryoshka_min"].data))

        # The error report against numpy, on sampled tensors.
        for name in SAMPLED:
            x = gguf.quants.dequantize(np.asarray(src[name].data), src[name].tensor_type).astype(np.float32)
            codes, scales, mins = nested_parts(name)
            x = x.reshape(codes.shape)
            bad = []
            for bits in EXPECTED_TYPES:
                got = report.get(name, {}).get(bits)
                want_slice = rmse(slice_values(codes, scales, mins, bits), x)
                want_rtn = rmse(round_to_nearest(x, bits), x)
                if got is None or abs(got[2] - want_slice) > 1e-3 * want_slice or \
                        abs(got[4] - want_rtn) > 1e-3 * want_rtn:
                    bad.append(f"{bits} bits: report {got}, numpy slice {want_slice:.4e} RTN {want_rtn:.4e}")
            if bad:
                print(f"FAIL report {name}: {bad}")
                ok = False
            else:
                row = report[name]
                print(f"ok   report {name}: slice/RTN RMSE " +
                      ", ".join(f"{b}b {row[b][2]:.3e}/{row[b][4]:.3e}" for b in EXPECTED_TYPES))

        slices = {}
        for bits in (8, 5, 4):
            path = tmp / f"demo-int{bits}.gguf"
            run([cli, "slice", nested_path, path, "--bits", bits, "--quiet"])
            slices[bits] = path
            reader = gguf.GGUFReader(path)
            out_ts = {t.name: t for t in reader.tensors}
            mismatched = []
            for name in codes_names:
                t = out_ts[name]
                if t.tensor_type.name != EXPECTED_TYPES[bits]:
                    mismatched.append(f"{name}: {t.tensor_type.name}")
                    continue
                want = slice_values(*nested_parts(name), bits)
                if bits == 8:
                    same = np.array_equal(np.asarray(t.data).view(np.uint8),
                                          gguf.quants.quantize(want, gguf.GGMLQuantizationType.Q8_0).view(np.uint8))
                else:
                    got = gguf.quants.dequantize(np.asarray(t.data), t.tensor_type).reshape(want.shape)
                    same = np.array_equal(got.view(np.uint32), want.astype(np.float32).view(np.uint32))
                if not same:
                    mismatched.append(name)
            carried_bad = [n for n in out_ts if n not in codes_names and
                           not np.array_equal(np.asarray(out_ts[n].data).view(np.uint8),
                                              np.asarray(src[n].data).view(np.uint8))]
            how = "Q8_0 bytes as gguf-py quantizes the slice" if bits == 8 else \
                f"{EXPECTED_TYPES[bits]} dequantizes to the numpy slice bit for bit"
            if mismatched or carried_bad or len(out_ts) != len(src):
                print(f"FAIL {bits}-bit slice: {len(mismatched)} tensors differ, e.g. {mismatched[:5]}; "
                      f"carried tensors changed: {carried_bad[:5]}")
                ok = False
            else:
                print(f"ok   {bits}-bit slice: {len(codes_names)} tensors, {how}; "
                      f"general.file_type {field_value(reader, 'general.file_type')}, "
                      f"matryx.matryoshka.slice {field_value(reader, 'matryx.matryoshka.slice')!r}")

        mix = tmp / "demo-mix.gguf"
        _, log = run([cli, "slice", nested_path, mix, "--bits", 4, "--bits-for", r"^blk\.[0-3]\.=8"])
        mixed = {t.name: t.tensor_type.name for t in gguf.GGUFReader(mix).tensors}
        wrong = [n for n in codes_names
                 if mixed[n] != ("Q8_0" if re.match(r"^blk\.[0-3]\.", n) else "Q4_1")]
        if wrong:
            print(f"FAIL mixed slice: {wrong[:5]}")
            ok = False
        print(f"  {log.strip().splitlines()[-1]}")

        for label, path in (("int4 slice", slices[4]), ("int8 slice", slices[8]), ("mixed 8/4 slice", mix)):
            start = time.monotonic()
            text = greedy_text(path)
            good = bool(text.strip())
            ok &= good
            print(f"{'ok  ' if good else 'FAIL'} llama.cpp runs the {label} "
                  f"[{time.monotonic() - start:.1f} s]: {text!r}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
