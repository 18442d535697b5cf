#!/usr/bin/env python3
"""Importance matrices: llama-imatrix computes one on the demo model's F16 export (a short fixed
text, two chunks of 128 tokens) and writes it as GGUF and, converted by llama-imatrix itself,
as a legacy .dat file. `matryx-cli quantize --imatrix` and `llama-quantize --imatrix` then
quantize the F16 export with it, Q4_K_M with the GGUF file and Q4_0 with the .dat file (Q4_0
with an importance matrix also changes the preset: the first eighth of ffn_down get Q4_1).
Every tensor's type and bytes must be identical (read with gguf-py), so both read the files to
the same weights and quantize with them alike.

Usage: quantize_imatrix_reference.py PATH/TO/matryx-cli LLAMA_TOOLS_DIR DEMO_MODEL.gguf
Exits 1 on any difference, or when a tool, the venv or the model is missing.
"""

import random
import sys
import tempfile
from pathlib import Path

from quantize_pipeline_reference import compare_bytes, run, tensors


def calibration_text():
    rng = random.Random(1)
    words = ("the of and to in is was for on that with as by at from his her it an were are which this be or has "
             "had not but also first one their its new after who they two been have more other all time when during "
             "there into school year some can may would city people").split()
    return " ".join(rng.choice(words) for _ in range(600))


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
        f16, text = tmp / "demo-f16.gguf", tmp / "text.txt"
        run([cli, "convert", demo, f16, "--type", "f16", "--quiet"])
        text.write_text(calibration_text())
        im_gguf, im_dat = tmp / "imatrix.gguf", tmp / "imatrix.dat"
        run([imatrix, "-m", f16, "-f", text, "-c", "128", "--chunks", "2", "-t", "2", "--no-ppl", "-o", im_gguf])
        run([imatrix, "-m", f16, "--in-file", im_gguf, "--output-format", "dat", "-o", im_dat])
        for preset, matrix in (("Q4_K_M", im_gguf), ("Q4_0", im_dat)):
            theirs, ours = tmp / f"llama-{preset}.gguf", tmp / f"matryx-{preset}.gguf"
            run([quantize, "--imatrix", matrix, f16, theirs, preset, "2"])
            log = run([cli, "quantize", f16, ours, "--preset", preset, "--imatrix", matrix, "--threads", "2"])
            if " 0 with importance" in log:
                print(f"FAIL {preset}: no tensor was quantized with the importance matrix:\n{log}")
                ok = False
            ok &= compare_bytes(f"{preset} with {matrix.suffix[1:]} imatrix", tensors(ours)[1], tensors(theirs)[1])
            theirs.unlink()
            ours.unlink()
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
