#!/usr/bin/env python3
"""Importance matrices computed by Matryx against llama-imatrix's: both tools run the demo model
over the same text (windows of 128 tokens, four of them, one window per batch). The files must
name the same tensors with the same counts, and the sums of squared activations must agree
(the maximum relative difference is printed; the demo model's activations match llama.cpp's,
so they should be equal or nearly so). Then llama-quantize quantizes the demo model's F16
export to Q4_K_M with each file; both must succeed, and the outputs must be identical byte for
byte when the sums are (otherwise the share of identical tensors is printed).

Usage: imatrix_reference.py PATH/TO/matryx-cli LLAMA_TOOLS_DIR DEMO_MODEL.gguf
Exits 1 on any failure, or when a tool, the venv or the model is missing.
"""

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import gguf
    import numpy as np
except ImportError as e:
    print(f"FAIL: the reference venv lacks a package: {e}")
    sys.exit(1)

CONTEXT, CHUNKS = 128, 4
# The sums are accumulated in float in the same order by both tools; a relative difference
# above this means different activations, not rounding.
MAX_RELATIVE_DIFFERENCE = 1e-3


def calibration_text():
    rng = random.Random(7)
    words = ("the of and to in is was for on that with as by at from his her it an were are which this be or has "
             "had not but also first one their its new after who they two been have more other all time when during "
             "there into school year some can may would city people river 1987 3.14 (see below) don't Zürich "
             "naïve café — “quoted” x=y+2; def f(a): return a*2").split()
    lines = []
    for _ in range(60):
        lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(5, 25))) + ".")
    return "\n".join(lines) + "\n"


def run(cmd, cwd=None):
    start = time.monotonic()
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd)
    seconds = time.monotonic() - start
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    print(f"  [{seconds:5.1f} s] {Path(str(cmd[0])).name} {' '.join(Path(str(c)).name for c in cmd[1:])}")
    return r.stdout + r.stderr, seconds


def load_imatrix(path):
    reader = gguf.GGUFReader(path)
    out = {}
    for t in reader.tensors:
        for suffix in (".in_sum2", ".counts"):
            if t.name.endswith(suffix):
                out.setdefault(t.name[: -len(suffix)], {})[suffix[1:]] = np.array(t.data, dtype=np.float32).ravel()
    fields = {}
    for key in ("imatrix.chunk_count", "imatrix.chunk_size"):
        f = reader.fields.get(key)
        fields[key] = None if f is None else int(f.parts[f.data[0]][0])
    return out, fields


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    cli, tools, demo = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    quantize, imatrix = tools / "llama-quantize", tools / "llama-imatrix"
    for p in (cli, quantize, imatrix, demo):
        if not p.is_file():
            print(f"FAIL: missing: {p}")
            return 1
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        text = tmp / "calibration.txt"
        text.write_text(calibration_text(), encoding="utf-8")
        theirs_dir, ours_dir = tmp / "llama", tmp / "matryx"
        theirs_dir.mkdir()
        ours_dir.mkdir()
        common = ["-f", text, "-c", CONTEXT, "--chunks", CHUNKS, "-t", "2", "-b", CONTEXT]
        # Without flash attention (on by default in llama.cpp's tools), which sums the values in fp16.
        _, their_seconds = run([imatrix, "-m", demo, *common, "--no-ppl", "-fa", "off",
                                "-o", theirs_dir / "imatrix.gguf"])
        _, our_seconds = run([cli, "imatrix", demo, *common, "-o", ours_dir / "imatrix.gguf"])
        print(f"time: matryx-cli imatrix {our_seconds:.1f} s, llama-imatrix {their_seconds:.1f} s "
              f"(whole runs, model loading included)")

        theirs, their_fields = load_imatrix(theirs_dir / "imatrix.gguf")
        ours, our_fields = load_imatrix(ours_dir / "imatrix.gguf")
        if their_fields != our_fields:
            print(f"FAIL: metadata differs: ours {our_fields}, llama-imatrix's {their_fields}")
            ok = False
        if sorted(theirs) != sorted(ours):
            print(f"FAIL: tensors differ: only ours {sorted(set(ours) - set(theirs))[:5]}, "
                  f"only llama-imatrix's {sorted(set(theirs) - set(ours))[:5]}")
            return 1
        worst, worst_name, identical = 0.0, "", 0
        for name in sorted(theirs):
            t, o = theirs[name], ours[name]
            if not np.array_equal(t["counts"], o["counts"]):
                print(f"FAIL {name}: counts {o['counts']} vs llama-imatrix's {t['counts']}")
                ok = False
            if t["in_sum2"].shape != o["in_sum2"].shape:
                print(f"FAIL {name}: {o['in_sum2'].shape} sums vs {t['in_sum2'].shape}")
                ok = False
                continue
            identical += int(np.array_equal(t["in_sum2"], o["in_sum2"]))
            a, b = t["in_sum2"].astype(np.float64), o["in_sum2"].astype(np.float64)
            rel = np.abs(a - b) / np.maximum(np.abs(a), 1e-30)
            if rel.max() > worst:
                worst, worst_name = float(rel.max()), name
        print(f"in_sum2: {identical}/{len(theirs)} tensors bit-identical, max relative difference {worst:.3g}"
              f"{' (' + worst_name + ')' if worst_name else ''}")
        if worst > MAX_RELATIVE_DIFFERENCE:
            print(f"FAIL: relative difference above {MAX_RELATIVE_DIFFERENCE}")
            ok = False

        # Quantize with each file, from folders where it has the same relative name, so that the
        # quantize.imatrix.* metadata llama-quantize records is the same too.
        f16 = tmp / "demo-f16.gguf"
        run([cli, "convert", demo, f16, "--type", "f16", "--quiet"])
        outputs = []
        for folder in (theirs_dir, ours_dir):
            out = folder / "q4_k_m.gguf"
            run([quantize, "--imatrix", "imatrix.gguf", f16, out, "Q4_K_M", "2"], cwd=folder)
            outputs.append(out)
        same_bytes = outputs[0].read_bytes() == outputs[1].read_bytes()
        a = {t.name: bytes(t.data.tobytes()) for t in gguf.GGUFReader(outputs[0]).tensors}
        b = {t.name: bytes(t.data.tobytes()) for t in gguf.GGUFReader(outputs[1]).tensors}
        same_tensors = sum(a[n] == b.get(n) for n in a)
        print(f"llama-quantize Q4_K_M: files {'identical' if same_bytes else 'differ'}, "
              f"{same_tensors}/{len(a)} tensors identical")
        if identical == len(theirs) and not same_bytes:
            print("FAIL: equal importance sums quantized to different bytes")
            ok = False
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
