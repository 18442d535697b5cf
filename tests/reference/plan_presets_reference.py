#!/usr/bin/env python3
"""Presets pick the tensor types llama.cpp picks: the demo model is exported to F16 by
`matryx-cli convert`, then for each llama.cpp file type the per-tensor types of
`matryx-cli plan F16 --preset P --json` are compared, tensor by tensor, with llama-quantize's.

llama-quantize --dry-run prints the type it gives every tensor without writing a file; its log is
parsed for every preset. For a few presets the file is also written and read with gguf-py, which
checks the parsed log against the real file and our predicted data size against its size.
None of these presets needs an importance matrix (llama-quantize refuses IQ1/IQ2 and Q2_K_S
without one; Q2_K, IQ4_NL and the others run without it), so the plans are resolved without.

Usage: plan_presets_reference.py PATH/TO/matryx-cli LLAMA_TOOLS_DIR DEMO_MODEL.gguf
Exits 1 on any difference, or when a tool, the venv or the model is missing.
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import gguf
except ImportError as e:
    print(f"FAIL: the reference venv lacks gguf-py: {e}")
    sys.exit(1)

PRESETS = ["Q8_0", "Q6_K", "Q5_K_M", "Q5_K_S", "Q4_K_M", "Q4_K_S", "Q3_K_M", "Q3_K_S", "Q2_K", "IQ4_NL", "Q4_0"]
WRITTEN = ["Q4_K_M", "Q3_K_S"]  # also quantized for real and read back (IQ4_NL would take llama.cpp ~40 s)

# "[   3/ 272] blk.0.attn_k.weight   - [ 576, 192, 1, 1], type =    f16, size = 0.21 MiB -> 0.06 MiB (q4_0)"
# or, for a tensor that keeps its type, "... type =    f32, size =    0.002 MiB".
LOG_LINE = re.compile(r"^\[\s*\d+/\s*\d+\]\s+(\S+)\s+- \[[^\]]*\], type =\s*(\S+), size =.*?(?:\((\S+)\))?\s*$")


def llama_types_from_log(text):
    types = {}
    for line in text.splitlines():
        m = LOG_LINE.match(line)
        if m:
            types[m.group(1)] = (m.group(3) or m.group(2)).upper()
    return types


def run(cmd, stdout_only=False):
    """The command's output (stdout, or stdout and stderr); raises when it fails."""
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return r.stdout if stdout_only else r.stdout + r.stderr


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    cli, tools, demo = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    quantize = tools / "llama-quantize"
    for p in (cli, quantize, demo):
        if not p.is_file():
            print(f"FAIL: missing: {p}")
            return 1

    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        f16 = Path(tmp) / "demo-f16.gguf"
        run([cli, "convert", demo, f16, "--type", "f16", "--quiet"])
        for preset in PRESETS:
            ours = json.loads(run([cli, "plan", f16, "--preset", preset, "--json"], stdout_only=True))
            mine = {t["name"]: t["target"].upper() for t in ours["tensors"]}
            out = Path(tmp) / f"{preset}.gguf"
            theirs = llama_types_from_log(run([quantize, "--dry-run", f16, out, preset, "2"]))
            if len(theirs) != len(mine) or set(theirs) != set(mine):
                print(f"FAIL {preset}: tensor sets differ: llama.cpp {len(theirs)}, Matryx {len(mine)}")
                failed = True
                continue
            diffs = [(n, theirs[n], mine[n]) for n in theirs if theirs[n] != mine[n]]
            counts = {}
            for t in mine.values():
                counts[t] = counts.get(t, 0) + 1
            if diffs:
                failed = True
                print(f"FAIL {preset}: {len(diffs)} of {len(mine)} tensors differ, e.g.")
                for n, a, b in diffs[:8]:
                    print(f"    {n}: llama.cpp {a}, Matryx {b}")
            else:
                print(f"ok   {preset}: {len(mine)} tensors agree {dict(sorted(counts.items()))}")

            if preset in WRITTEN:
                run([quantize, f16, out, preset, "2"])
                reader = gguf.GGUFReader(out)
                written = {t.name: t.tensor_type.name.upper() for t in reader.tensors}
                if written != theirs:
                    failed = True
                    print(f"FAIL {preset}: llama-quantize's log and its file disagree (log parsing is wrong)")
                # Our file also carries the plan (matryx.plan), so the headers differ; the data do not.
                data = out.stat().st_size - reader.data_offset
                predicted = ours["file_bytes"] - ours["header_bytes"]
                if data != predicted:
                    failed = True
                    print(f"FAIL {preset}: predicted {predicted} data bytes, llama.cpp wrote {data}")
                else:
                    print(f"ok   {preset}: llama.cpp wrote {data} data bytes, as predicted")
                out.unlink()
    print("FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
