#!/usr/bin/env python3
"""matryx-cli quantize against llama.cpp.

1. Byte identity: the demo model's F16 export (matryx-cli convert) quantized to Q8_0 by matryx-cli
   and by llama-quantize gives the same tensor types and the same tensor bytes (read with
   gguf-py); only the metadata differs (matryx.plan).
2. Requantization: the Q4_1 demo model itself quantized to Q8_0, Q4_K_M and a hand-written
   Mix'n'Match plan (attn_v and ffn_down of the first four blocks Q6_K, the rest Q4_0) loads in
   llama.cpp (llama-cpp-python) and greedily generates non-empty text; gguf-py reads the expected
   type for every tensor (the presets: llama-quantize's types, from its file for Q8_0 and from
   its --dry-run log for Q4_K_M; the plan: worked out here from the shapes, with llama.cpp's
   fallback of Q6_K to Q8_0 for rows that are not whole 256-blocks); the metadata is carried
   over and records the plan; the CLI says the source was requantized.

gguf-py needs ~5 s to open a file with this vocabulary, so each file is opened once.

Usage: quantize_pipeline_reference.py PATH/TO/matryx-cli LLAMA_TOOLS_DIR DEMO_MODEL.gguf
Exits 1 on any difference, or when a tool, the venv or the model is missing.
"""

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from plan_presets_reference import llama_types_from_log

try:
    import gguf
    import llama_cpp
    import numpy as np
except ImportError as e:
    print(f"FAIL: the reference venv lacks a package: {e}")
    sys.exit(1)

PROMPT = b"<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
N_TOKENS = 16
MIX_PLAN = {
    "version": 1,
    "description": "values and ffn_down of the first four blocks at 6 bits",
    "base": "Q4_0",
    "rules": [{"kinds": ["attn_v", "ffn_down"], "layers": {"first_n": 4}, "type": "Q6_K"}],
}
FIRST_FOUR = re.compile(r"^blk\.[0-3]\.(attn_v|ffn_down)\.weight$")


def run(cmd):
    start = time.monotonic()
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    print(f"  [{time.monotonic() - start:5.1f} s] {Path(str(cmd[0])).name} {' '.join(Path(str(c)).name for c in cmd[1:])}")
    return r.stdout + r.stderr


def tensors(path):
    reader = gguf.GGUFReader(path)
    return reader, {t.name: t for t in reader.tensors}


def field_value(reader, key):
    f = reader.fields.get(key)
    if f is None:
        return None
    if f.types and f.types[0] == gguf.GGUFValueType.STRING:
        return bytes(f.parts[f.data[0]]).decode("utf-8")
    return f.parts[f.data[0]][0]


def greedy_text(path):
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=256, n_threads=2, verbose=False)
    prompt = llm.tokenize(PROMPT, add_bos=False, special=True)
    out = []
    for token in llm.generate(prompt, top_k=1, top_p=1.0, min_p=0.0, temp=0.0, repeat_penalty=1.0):
        out.append(token)
        if len(out) == N_TOKENS:
            break
    text = llm.detokenize(out).decode("utf-8", errors="replace")
    llm.close()
    return text


def compare_bytes(label, ours, theirs):
    """Same names, types, shapes and bytes for every tensor (name -> gguf-py tensor)."""
    if set(ours) != set(theirs):  # llama-quantize writes them sorted by block; the order is free
        print(f"FAIL {label}: tensor names differ")
        return False
    bad = []
    for name, t in theirs.items():
        o = ours[name]
        if o.tensor_type != t.tensor_type or list(o.shape) != list(t.shape):
            bad.append(f"{name}: {o.tensor_type.name} vs llama.cpp {t.tensor_type.name}")
        elif not np.array_equal(np.asarray(o.data).view(np.uint8), np.asarray(t.data).view(np.uint8)):
            bad.append(f"{name}: bytes differ")
    if bad:
        print(f"FAIL {label}: {len(bad)} of {len(theirs)} tensors differ, e.g. {bad[:5]}")
        return False
    print(f"ok   {label}: {len(theirs)} tensors, types and bytes identical to llama-quantize's")
    return True


def check_output(label, path, src_reader, expected_types, file_type):
    """Types, metadata and text of one output; src_reader holds the source's metadata."""
    failed = False
    reader, ts = tensors(path)
    got = {n: t.tensor_type.name for n, t in ts.items()}
    diffs = [(n, got.get(n), want) for n, want in expected_types.items() if got.get(n) != want]
    if diffs or len(got) != len(expected_types):
        print(f"FAIL {label}: {len(diffs)} tensor types differ, e.g. {diffs[:5]}")
        failed = True
    if field_value(reader, "general.file_type") != file_type:
        print(f"FAIL {label}: general.file_type {field_value(reader, 'general.file_type')}, expected {file_type}")
        failed = True
    plan = field_value(reader, "matryx.plan")
    try:
        json.loads(plan)
    except (TypeError, ValueError):
        print(f"FAIL {label}: matryx.plan missing or not JSON: {plan!r}")
        failed = True
    for key in ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.chat_template", "llama.block_count"):
        a, b = src_reader.fields.get(key), reader.fields.get(key)
        if a is None or b is None or len(a.data) != len(b.data) or \
                [bytes(a.parts[i]) for i in a.data] != [bytes(b.parts[i]) for i in b.data]:
            print(f"FAIL {label}: metadata {key} not carried over")
            failed = True
    start = time.monotonic()
    text = greedy_text(path)
    print(f"  [{time.monotonic() - start:5.1f} s] llama.cpp load and generate")
    if not text.strip():
        print(f"FAIL {label}: llama.cpp generated no text")
        failed = True
    print(f"{'FAIL' if failed else 'ok  '} {label}: types, metadata; llama.cpp says {text!r}")
    return not failed


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
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        f16 = tmp / "demo-f16.gguf"
        run([cli, "convert", demo, f16, "--type", "f16", "--quiet"])

        theirs, ours = tmp / "llama-Q8_0.gguf", tmp / "matryx-Q8_0.gguf"
        run([quantize, f16, theirs, "Q8_0", "2"])
        log = run([cli, "quantize", f16, ours, "--preset", "Q8_0", "--threads", "2"])
        if "dequantized and quantized again" in log:
            print("FAIL Q8_0: an F16 source reported as requantized")
            ok = False
        llama_reader, llama_q8 = tensors(theirs)
        ok &= compare_bytes("Q8_0 from F16", tensors(ours)[1], llama_q8)
        llama_types = {"Q8_0": {n: t.tensor_type.name for n, t in llama_q8.items()},
                       "Q4_K_M": llama_types_from_log(run([quantize, "--dry-run", f16, tmp / "x.gguf", "Q4_K_M"]))}

        # The Q4_1 demo model itself: every matrix passes through dequantization. Its shapes are
        # those of llama.cpp's Q8_0 file, and that file carries its metadata.
        mix_types = {}
        for name, t in llama_q8.items():
            if len([d for d in t.shape if d > 1]) < 2:
                mix_types[name] = "F32"  # norms stay as stored
            elif FIRST_FOUR.match(name):
                mix_types[name] = "Q6_K" if int(t.shape[0]) % 256 == 0 else "Q8_0"
            else:
                mix_types[name] = "Q4_0"
        plan_file = tmp / "mix.json"
        plan_file.write_text(json.dumps(MIX_PLAN))
        cases = [("Q8_0", ["--preset", "Q8_0"], llama_types["Q8_0"], 7),
                 ("Q4_K_M", ["--preset", "Q4_K_M"], llama_types["Q4_K_M"], 15),
                 ("mix plan", ["--plan", plan_file], mix_types, 2)]
        if sorted(set(mix_types.values())) != ["F32", "Q4_0", "Q6_K", "Q8_0"]:
            print(f"FAIL: the demo model no longer exercises the plan: {sorted(set(mix_types.values()))}")
            ok = False
        for label, args, expected, file_type in cases:
            out = tmp / f"demo-{label.replace(' ', '-')}.gguf"
            log = run([cli, "quantize", demo, out, *args, "--threads", "2"])
            if "dequantized and quantized again" not in log:
                print(f"FAIL {label}: requantizing the Q4_1 model was not reported:\n{log}")
                ok = False
            ok &= check_output(f"{label} from Q4_1", out, llama_reader, expected, file_type)
            out.unlink()
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
