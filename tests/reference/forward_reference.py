#!/usr/bin/env python3
"""Matryx's forward pass agrees with llama.cpp's on the same token ids.

For each model, llama.cpp (llama-cpp-python, 2 threads, no flash attention) tokenizes the
prompts and the text, so that tokenization is not under test here; matryx-forward then gets the
same ids. Checks on the demo model (llama architecture, Q4_1):
  - greedy: 64 tokens, each the argmax of the last logits, identical for three prompts;
  - logits: every row of 512 tokens of forward_text.txt (logits_all); the argmax agrees on at
    least 99% of the rows. The largest absolute difference and the mean of the per-row largest
    differences are printed (Matryx reproduces ggml's order of operations, so they are 0 on
    this machine; they are not checked, since another CPU may pick other ggml kernels).
Gemma 3 270M (gemma3, Q4_K_M: sliding window, query/key norms, GeGLU, embedding scale) is checked
more loosely: the first of 16 greedy tokens of each prompt identical and the argmax of 128 rows
agreeing on at least 90%. Its attention, RoPE, norms and GeGLU agree with llama.cpp bit for bit, but
Matryx's Q4_K product (attn_output) rounds differently from ggml's in the last bits, and a Q4
model turns last-bit differences into visible ones within a few tokens.

Finally `matryx-cli generate --temp 0` on the demo model must print the text of llama.cpp's greedy
continuation (32 tokens), detokenized by llama.cpp.

Usage: forward_reference.py MATRYX_FORWARD MATRYX_CLI DEMO_MODEL.gguf GEMMA_MODEL.gguf
Exits 1 on any disagreement, or when llama-cpp-python, numpy or a model is missing.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# Both sides run OpenMP threads; on a busy machine spinning waiters slow them down tenfold.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

try:
    import llama_cpp
    import numpy as np
except ImportError as e:
    print(f"FAIL: the reference venv lacks a package: {e}")
    sys.exit(1)

THREADS = 2
GREEDY_TOKENS = 64
LOGIT_TOKENS = 512
MIN_TOP1 = 0.99
GEMMA_GREEDY_TOKENS = 16
GEMMA_LOGIT_TOKENS = 128
GEMMA_MIN_TOP1 = 0.90

PROMPTS = [
    "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
    "Once upon a time, in a small village by the sea,",
    "def quicksort(items):\n",
]
GEMMA_PROMPTS = [
    "<start_of_turn>user\nWhat is the capital of France?<end_of_turn>\n<start_of_turn>model\n",
    "Once upon a time, in a small village by the sea,",
    "def quicksort(items):\n",
]


def run_matryx(tool, model, ids, *extra):
    args = [str(tool), str(model), "--tokens", ",".join(map(str, ids)), "--threads", str(THREADS), *map(str, extra)]
    result = subprocess.run(args, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"matryx-forward: {result.stderr.decode(errors='replace')}")
    return json.loads(result.stdout)


def llama_greedy(llm, ids, n):
    llm.reset()
    llm.eval(ids)
    out = []
    for _ in range(n):
        token = int(np.argmax(llm.scores[llm.n_tokens - 1]))
        out.append(token)
        llm.eval([token])
    return out


def check_model(tool, path, prompts, text, greedy_tokens, greedy_must_match, logit_tokens, min_top1):
    """greedy_must_match: how many leading greedy tokens must be identical."""
    failures = []
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=LOGIT_TOKENS + 64, n_batch=LOGIT_TOKENS,
                          n_ubatch=LOGIT_TOKENS, n_threads=THREADS, n_threads_batch=THREADS, logits_all=True,
                          flash_attn=False, verbose=False)
    name = path.name
    for prompt in prompts:
        ids = llm.tokenize(prompt.encode(), add_bos=True, special=True)
        expected = llama_greedy(llm, ids, greedy_tokens)
        got = run_matryx(tool, path, ids, "--greedy", greedy_tokens)["greedy"]
        same = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b), len(expected))
        if same < greedy_must_match:
            failures.append(f"{name}: greedy continuation of {prompt!r} differs at token {same}: "
                            f"llama.cpp {expected[same:same + 8]}, Matryx {got[same:same + 8]}")
        print(f"{name}: greedy {prompt[:40]!r}: {same}/{greedy_tokens} tokens identical")

    ids = llm.tokenize(text.encode(), add_bos=True, special=False)[:logit_tokens]
    if len(ids) < logit_tokens:
        raise RuntimeError(f"forward_text.txt gives only {len(ids)} tokens")
    llm.reset()
    llm.eval(ids)
    expected = np.array(llm.scores[:logit_tokens], dtype=np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "logits.bin"
        info = run_matryx(tool, path, ids, "--logits", out)
        got = np.fromfile(out, dtype=np.float32).reshape(info["rows"], info["vocabulary"])
    if got.shape != expected.shape:
        failures.append(f"{name}: logits shape {got.shape}, llama.cpp {expected.shape}")
        return failures
    top1 = float(np.mean(np.argmax(got, axis=1) == np.argmax(expected, axis=1)))
    diff = np.abs(got - expected)
    print(f"{name}: logits of {logit_tokens} tokens: top-1 agreement {top1 * 100:.2f}%, "
          f"max |difference| {diff.max():.4f}, mean of row maxima {diff.max(axis=1).mean():.4f}, "
          f"logit range {expected.min():.1f} .. {expected.max():.1f}")
    if not np.all(np.isfinite(got)):
        failures.append(f"{name}: Matryx's logits are not all finite")
    if top1 < min_top1:
        failures.append(f"{name}: top-1 agreement {top1 * 100:.2f}% is below {min_top1 * 100:.0f}%")
    return failures


def check_generate(cli, path):
    prompt = PROMPTS[1]
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=256, n_threads=THREADS, n_threads_batch=THREADS,
                          logits_all=True, flash_attn=False, verbose=False)
    ids = llm.tokenize(prompt.encode(), add_bos=True, special=True)
    tokens = llama_greedy(llm, ids, 32)
    eog = next((i for i, t in enumerate(tokens) if llama_cpp.llama_vocab_is_eog(llm._model.vocab, t)), len(tokens))
    expected = llm.detokenize(tokens[:eog])
    result = subprocess.run([str(cli), "generate", str(path), "-p", prompt, "-n", "32", "--temp", "0",
                             "--threads", str(THREADS), "--no-display-prompt"], capture_output=True)
    if result.returncode != 0:
        return [f"matryx-cli generate failed: {result.stderr.decode(errors='replace')}"]
    got = result.stdout[:-1] if result.stdout.endswith(b"\n") else result.stdout
    print(f"matryx-cli generate: {got.decode(errors='replace')!r}")
    print(result.stderr.decode(errors="replace").strip())
    if got != expected:
        return [f"matryx-cli generate printed {got!r}, llama.cpp's greedy text is {expected!r}"]
    return []


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 1
    tool, cli, demo, gemma = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
    for model in (demo, gemma):
        if not model.is_file():
            print(f"FAIL: model {model} is missing")
            return 1
    text = (Path(__file__).parent / "forward_text.txt").read_text(encoding="utf-8")
    failures = check_model(tool, demo, PROMPTS, text, GREEDY_TOKENS, GREEDY_TOKENS, LOGIT_TOKENS, MIN_TOP1)
    failures += check_model(tool, gemma, GEMMA_PROMPTS, text, GEMMA_GREEDY_TOKENS, 1, GEMMA_LOGIT_TOKENS,
                            GEMMA_MIN_TOP1)
    failures += check_generate(cli, demo)
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        print("OK: greedy tokens and logits agree with llama.cpp")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
