#!/usr/bin/env python3
"""llama.cpp loads GGUF files that Matryx wrote: the demo model, read by Matryx and written
again (matryx-gguf-copy, at alignment 32 and 64), is loaded by llama.cpp through
llama-cpp-python and must greedy-generate the same 16 tokens as the original for a fixed
prompt.

Usage: gguf_llama_reference.py PATH/TO/matryx-gguf-copy DEMO_MODEL.gguf
Exits 1 on a mismatch or a load failure, or when llama-cpp-python or the model is missing.
"""

import sys
import tempfile
from pathlib import Path

from gguf_compare import run

try:
    import llama_cpp
except ImportError as e:
    print(f"FAIL: the reference venv lacks llama-cpp-python: {e}")
    sys.exit(1)

PROMPT = b"<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
N_TOKENS = 16


def greedy_tokens(path):
    """The first N_TOKENS tokens llama.cpp picks greedily after PROMPT (None if it cannot load)."""
    try:
        llm = llama_cpp.Llama(model_path=str(path), n_ctx=256, n_threads=2, verbose=False)
    except Exception as e:  # llama-cpp-python raises ValueError and others on load failure
        print(f"  llama.cpp cannot load {path.name}: {e}")
        return None
    prompt = llm.tokenize(PROMPT, add_bos=False, special=True)
    out = []
    for token in llm.generate(prompt, top_k=1, top_p=1.0, min_p=0.0, temp=0.0, repeat_penalty=1.0):
        out.append(token)
        if len(out) == N_TOKENS:
            break
    text = llm.detokenize(out).decode("utf-8", errors="replace")
    llm.close()
    return out, text


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, demo = Path(sys.argv[1]), Path(sys.argv[2])
    if not demo.is_file():
        print(f"FAIL: demo model missing: {demo}")
        return 1
    expected = greedy_tokens(demo)
    if expected is None:
        print("FAIL: llama.cpp cannot load the original")
        return 1
    print(f"original: {expected[0]} {expected[1]!r}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for alignment in (32, 64):
            copy = Path(tmp) / f"copy{alignment}.gguf"
            run([tool, demo, copy, "--alignment", str(alignment)])
            got = greedy_tokens(copy)
            if got is None or got[0] != expected[0]:
                print(f"MISMATCH copy at alignment {alignment}: {got}")
                failed = True
            else:
                print(f"ok: copy at alignment {alignment} generates the same {N_TOKENS} tokens")
    if failed or len(expected[0]) != N_TOKENS:
        print("FAIL")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
