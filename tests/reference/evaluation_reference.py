#!/usr/bin/env python3
"""matryx-cli perplexity and kld against llama-perplexity on the shipped evaluation text.

1. Perplexity of the demo model (windows of 512 tokens): Matryx's final estimate within 1% of
   llama-perplexity's, and the same number of windows.
2. KL divergence of a requantized demo model (Q4_0, written by matryx-cli quantize) against the
   demo model: llama-perplexity saves the base logits (--kl-divergence-base) and scores the
   quantized model (--kl-divergence); matryx-cli kld scores it against the base model run
   alongside (--reference), against llama.cpp's saved logits file (--reference-logits), and
   llama-perplexity scores it against the logits file Matryx saved (perplexity --save-logits).
   Mean KLD within 2% (relative) and same-top-p within 0.5 percentage points of llama.cpp's, in
   every pairing; the 99th percentile KLD within 5%. (The base logits are identical in both tools;
   for Q4_0, llama.cpp multiplies with repacked weights whose sums round differently from its
   vec_dot, which Matryx follows, so PPL(Q) differs by a few tenths of a percent.)

Usage: evaluation_reference.py PATH/TO/matryx-cli LLAMA_TOOLS_DIR DEMO_MODEL.gguf EVAL_TEXT
Exits 1 on any difference, or when a tool or the model is missing.
"""

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONTEXT = 512
PPL_TOLERANCE = 0.01
KLD_TOLERANCE = 0.02
P99_TOLERANCE = 0.05
SAME_TOP_TOLERANCE = 0.5  # percentage points
# llama.cpp's tools turn flash attention on by default on the CPU, which accumulates the values
# in fp16; Matryx computes attention as llama.cpp does without it (as llama-cpp-python runs).
LLAMA = ["-b", CONTEXT, "-fa", "off"]


def run(cmd):
    start = time.monotonic()
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout[-3000:]}{r.stderr[-3000:]}")
    print(f"  [{time.monotonic() - start:5.1f} s] {Path(str(cmd[0])).name} "
          f"{' '.join(Path(str(c)).name if '/' in str(c) else str(c) for c in cmd[1:])}")
    return r.stdout + r.stderr


def final_ppl(log):
    m = re.search(r"Final estimate: PPL = ([0-9.]+) \+/- ([0-9.]+)", log)
    if not m:
        raise RuntimeError(f"no final estimate in:\n{log[-2000:]}")
    windows = re.findall(r"\[(\d+)\][0-9.]+,", log)
    return float(m.group(1)), int(windows[-1]) if windows else 0


def kld_stats(log):
    def number(pattern):
        m = re.search(pattern, log)
        if not m:
            raise RuntimeError(f"'{pattern}' not found in:\n{log[-3000:]}")
        return float(m.group(1))
    return {"mean": number(r"Mean\s+KLD:\s+([0-9.]+)"),
            "p99": number(r"99\.0%\s+KLD:\s+([0-9.]+)"),
            "same_top": number(r"Same top p:\s+([0-9.]+)"),
            "ppl": number(r"Mean PPL\(Q\)\s+:\s+([0-9.]+)")}


def compare_kld(label, ours, theirs):
    ok = True
    rel = abs(ours["mean"] - theirs["mean"]) / theirs["mean"]
    rel99 = abs(ours["p99"] - theirs["p99"]) / theirs["p99"]
    top = abs(ours["same_top"] - theirs["same_top"])
    if rel > KLD_TOLERANCE or rel99 > P99_TOLERANCE or top > SAME_TOP_TOLERANCE:
        ok = False
    print(f"{'ok  ' if ok else 'FAIL'} {label}: mean KLD {ours['mean']:.6f} vs {theirs['mean']:.6f} "
          f"({100 * rel:.2f}%), 99% KLD {ours['p99']:.6f} vs {theirs['p99']:.6f} ({100 * rel99:.2f}%), "
          f"same top {ours['same_top']:.3f}% vs {theirs['same_top']:.3f}%")
    return ok


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    cli, tools, demo, text = (Path(a) for a in sys.argv[1:])
    perplexity = tools / "llama-perplexity"
    for p in (cli, perplexity, tools / "llama-quantize", demo, text):
        if not p.is_file():
            print(f"FAIL: missing: {p}")
            return 1
    ok = True
    common = ["-c", CONTEXT, "-t", 2]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        theirs_ppl, theirs_windows = final_ppl(run([perplexity, "-m", demo, "-f", text, *common, *LLAMA]))
        ours_ppl, ours_windows = final_ppl(run([cli, "perplexity", demo, "-f", text, *common]))
        rel = abs(ours_ppl - theirs_ppl) / theirs_ppl
        good = rel <= PPL_TOLERANCE and ours_windows == theirs_windows and ours_windows > 1
        ok &= good
        print(f"{'ok  ' if good else 'FAIL'} perplexity: Matryx {ours_ppl:.4f} vs llama.cpp {theirs_ppl:.4f} "
              f"({100 * rel:.3f}%), {ours_windows} vs {theirs_windows} windows of {CONTEXT}")

        quant = tmp / "demo-q4_0.gguf"
        run([cli, "quantize", demo, quant, "--preset", "Q4_0", "--threads", 2, "--quiet"])
        llama_base = tmp / "llama-base.kld"
        run([perplexity, "-m", demo, "-f", text, *common, *LLAMA, "--kl-divergence-base", llama_base])
        theirs = kld_stats(run([perplexity, "-m", quant, *common, *LLAMA,
                                "--kl-divergence-base", llama_base, "--kl-divergence"]))
        print(f"  llama.cpp: mean KLD {theirs['mean']:.6f}, 99% {theirs['p99']:.6f}, "
              f"same top {theirs['same_top']:.3f}%, PPL(Q) {theirs['ppl']:.4f}")
        if not theirs["mean"] > 0:
            print("FAIL: the requantized model has no divergence; the test would prove nothing")
            ok = False

        ours_logits = tmp / "matryx-base.kld"
        ours = kld_stats(run([cli, "kld", quant, "--reference", demo, "-f", text, *common,
                              "--save-logits", ours_logits]))
        ok &= compare_kld("kld --reference", ours, theirs)
        ok &= compare_kld("kld --reference-logits (llama.cpp's file)",
                          kld_stats(run([cli, "kld", quant, "--reference-logits", llama_base, "-t", 2])), theirs)
        ok &= compare_kld("llama-perplexity --kl-divergence on Matryx's file",
                          kld_stats(run([perplexity, "-m", quant, *common, *LLAMA,
                                         "--kl-divergence-base", ours_logits, "--kl-divergence"])), theirs)
        ppl_rel = abs(ours["ppl"] - theirs["ppl"]) / theirs["ppl"]
        good = ppl_rel <= PPL_TOLERANCE
        ok &= good
        print(f"{'ok  ' if good else 'FAIL'} PPL(Q): {ours['ppl']:.4f} vs {theirs['ppl']:.4f} ({100 * ppl_rel:.3f}%)")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
