#!/usr/bin/env python3
"""Quantizing one file three ways in the same run: matryx-cli on the CPU, matryx-cli on OpenCL
(--device opencl) and llama-quantize, each the median wall time of --repeats whole runs (model
loading and writing included) with its peak RSS, and the ratios to llama-quantize.

The file is the demo model's F16 export (matryx-cli convert), which both tools read as it is.
Threads: --threads for both (default 2). On a machine whose only OpenCL device is the CPU
(PoCL), the OpenCL column shares the cores with nothing faster than the CPU column, so expect it
to be slower; that is why `auto` quantizes on the CPU there.

usage: quantize_file_bench.py MATRYX_CLI LLAMA_QUANTIZE DEMO_MODEL.gguf [--presets Q8_0,Q4_K_M] [--repeats 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd):
    """Wall seconds and peak RSS (MB) of one run of cmd."""
    # stderr goes to a file: a pipe that nobody reads while wait4 waits would fill and stall
    # llama-quantize, which logs a line per tensor.
    with tempfile.TemporaryFile() as log:
        start = time.monotonic()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - start
        log.seek(0)
        err = log.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, err


def cell(run):
    return f"{run[0]:6.2f} s {run[1]:5.0f} MB"


def median_run(cmd, repeats):
    runs = [timed(cmd) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cli")
    parser.add_argument("llama_quantize")
    parser.add_argument("model")
    parser.add_argument("--presets", default="Q8_0,Q4_0,Q4_K_M,Q6_K")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    a = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        f16 = tmp / "demo-f16.gguf"
        subprocess.run([a.cli, "convert", a.model, f16, "--type", "f16", "--quiet"], check=True)
        print(f"{f16.stat().st_size / 1e6:.0f} MB F16 file, {a.threads} threads, median of {a.repeats} runs\n")
        print(f"{'preset':8} {'Matryx CPU':>16} {'Matryx OpenCL':>16} {'llama-quantize':>16} "
              f"{'llama/CPU':>10} {'llama/OpenCL':>13}")
        for preset in a.presets.split(","):
            out = tmp / "out.gguf"
            common = [a.cli, "quantize", f16, out, "--preset", preset, "--threads", a.threads, "--force", "-q"]
            cpu = median_run(common + ["--device", "cpu"], a.repeats)
            ocl = median_run(common + ["--device", "opencl"], a.repeats)
            llama = median_run([a.llama_quantize, f16, out, preset, a.threads], a.repeats)
            print(f"{preset:8} {cell(cpu):>16} {cell(ocl):>16} {cell(llama):>16} "
                  f"{llama[0] / cpu[0]:9.2f}x {llama[0] / ocl[0]:12.2f}x")
        out = tmp / "nested.gguf"
        common = [a.cli, "quantize", f16, out, "--matryoshka", "--threads", a.threads, "--force", "-q"]
        cpu = median_run(common + ["--device", "cpu"], a.repeats)
        ocl = median_run(common + ["--device", "opencl"], a.repeats)
        print(f"{'nested':8} {cell(cpu):>16} {cell(ocl):>16} {'(no peer)':>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
