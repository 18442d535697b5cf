#!/usr/bin/env python3
"""Prompt processing and decoding speed, Matryx next to llama.cpp, in the same run on the same
files: the demo model at its own type (Q4_1) and requantized to Q8_0.

Matryx: `matryx-cli generate` on a prompt of about 128 tokens, 64 greedy tokens; its own timing
lines give prompt and decode tokens/s. llama.cpp: `llama-bench -p 128 -n 64` (pp128, tg64).
Both with --threads (default 2); medians of --repeats runs; peak RSS of the whole process.
llama-bench is the build bootstrap.sh makes, with ggml's AVX2 kernels (the ones Matryx's CPU
kernels mirror); a native AVX-512 build of llama.cpp may be faster on CPUs that have it.

usage: inference_bench.py MATRYX_CLI LLAMA_TOOLS_DIR DEMO_MODEL.gguf [--repeats 3] [--threads 2]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROMPT = ("Once upon a time, in a small village by the sea, there lived an old fisherman who knew every "
          "rock and current of the bay. Each morning he rowed out before dawn, and each evening he told the "
          "children on the harbour wall what he had seen: a whale far out, a storm coming from the west, "
          "a bottle with a letter inside that nobody could read. One autumn the fish stopped coming, and "
          "the village began to worry about the winter. The fisherman said nothing for three days. On the "
          "fourth day he")


def run(cmd):
    proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err.decode(errors='replace')[-2000:]}")
    return out.decode(errors="replace"), err.decode(errors="replace")


def peak_rss_mb(cmd):
    """Runs cmd once more to read its peak RSS (wait4 needs the child unreaped)."""
    proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


def matryx_speed(cli, model, threads):
    _, err = run([cli, "generate", model, "-p", PROMPT, "-n", 64, "--temp", 0, "-t", threads, "--no-display-prompt"])
    prompt = re.search(r"prompt: (\d+) tokens in [0-9.]+ s \(([0-9.]+) tokens/s\)", err)
    gen = re.search(r"generated: (\d+) tokens in [0-9.]+ s \(([0-9.]+) tokens/s\)", err)
    if not prompt or not gen:
        sys.exit(f"no timing lines in:\n{err[-2000:]}")
    return int(prompt.group(1)), float(prompt.group(2)), int(gen.group(1)), float(gen.group(2))


def llama_speed(bench, model, threads, repeats):
    out, _ = run([bench, "-m", model, "-p", 128, "-n", 64, "-t", threads, "-r", repeats, "-o", "json"])
    rows = json.loads(out)
    pp = next(r["avg_ts"] for r in rows if r["n_prompt"] > 0 and r["n_gen"] == 0)
    tg = next(r["avg_ts"] for r in rows if r["n_gen"] > 0 and r["n_prompt"] == 0)
    return pp, tg


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cli")
    parser.add_argument("tools")
    parser.add_argument("model")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    a = parser.parse_args()
    bench = Path(a.tools) / "llama-bench"
    with tempfile.TemporaryDirectory() as tmp:
        q8 = Path(tmp) / "demo-q8_0.gguf"
        run([a.cli, "quantize", a.model, q8, "--preset", "Q8_0", "-q"])
        print(f"{a.threads} threads, medians of {a.repeats} runs; tokens/s\n")
        print(f"{'model':8} {'Matryx pp':>10} {'llama pp128':>12} {'ratio':>6}   {'Matryx tg':>10} "
              f"{'llama tg64':>11} {'ratio':>6}   {'Matryx RSS':>10} {'llama RSS':>10}")
        for label, model in (("Q4_1", Path(a.model)), ("Q8_0", q8)):
            runs = [matryx_speed(a.cli, model, a.threads) for _ in range(a.repeats)]
            pp = statistics.median(r[1] for r in runs)
            tg = statistics.median(r[3] for r in runs)
            lpp, ltg = llama_speed(bench, model, a.threads, a.repeats)
            rss = peak_rss_mb([a.cli, "generate", model, "-p", PROMPT, "-n", 64, "--temp", 0, "-t", a.threads])
            lrss = peak_rss_mb([bench, "-m", model, "-p", 128, "-n", 64, "-t", a.threads, "-r", 1])
            print(f"{label:8} {pp:10.1f} {lpp:12.1f} {pp / lpp:5.2f}x   {tg:10.1f} {ltg:11.1f} {tg / ltg:5.2f}x   "
                  f"{rss:7.0f} MB {lrss:7.0f} MB")
        print(f"\n(Matryx's prompt: {runs[0][0]} tokens; generated {runs[0][2]} tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
