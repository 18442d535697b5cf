"""How fast `info` answers on a large model: Matryx next to gguf-py (the reader behind
llama.cpp's gguf-dump), in the same run.

Makes a synthetic 4 GiB GGUF with 300 tensors (a sparse file: the header is real, the data
reads as zeros), then times
  - opening it in process: Matryx's openModel() (bench_open) vs gguf-py's GGUFReader,
  - the whole command: `matryx-cli info` vs `gguf-dump` (python -m gguf.scripts.gguf_dump).
Run: python tests/bench/info_bench.py build/tests/bench/bench_open build/app/matryx-cli
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from gguf import GGMLQuantizationType, GGUFReader, GGUFWriter

SIZE = 4 << 30
TENSORS = 300


def make_model(path):
    writer = GGUFWriter(path, "llama")
    writer.add_block_count(TENSORS // 10)
    writer.add_context_length(4096)
    writer.add_embedding_length(4096)
    writer.add_token_list([f"tok{i}" for i in range(32000)])
    per_tensor = SIZE // TENSORS
    cols = 4096
    rows = per_tensor // (cols * 2)
    for i in range(TENSORS):
        writer.add_tensor_info(f"blk.{i // 10}.t{i % 10}.weight", (rows, cols), np.dtype(np.float16),
                               rows * cols * 2, raw_dtype=GGMLQuantizationType.F16)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    writer.close()
    with open(path, "r+b") as f:  # data section as a hole: sparse, instant, reads as zeros
        header = f.seek(0, os.SEEK_END)
        pad = (-header) % 32
        f.truncate(header + pad + TENSORS * rows * cols * 2)
    return os.path.getsize(path)


def time_command(cmd, repeats):
    times = []
    for i in range(repeats + 1):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i:
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    bench_open, cli = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="matryx-bench-") as tmp:
        path = os.path.join(tmp, "synthetic-4g.gguf")
        size = make_model(path)

        ours = json.loads(subprocess.run([bench_open, path, "20"], check=True, capture_output=True,
                                         text=True).stdout)
        peer_times = []
        for i in range(6):
            start = time.perf_counter()
            reader = GGUFReader(path)
            n = len(reader.tensors)
            if i:
                peer_times.append((time.perf_counter() - start) * 1000)
        assert n == ours["tensors"] == TENSORS

        cli_ms = time_command([cli, "info", path], 10)
        dump_ms = time_command([sys.executable, "-m", "gguf.scripts.gguf_dump", "--no-tensors", path], 5)

        peer_open = statistics.median(peer_times)
        print(f"file: {size / 2**30:.2f} GiB, {TENSORS} tensors, 32000-token vocabulary")
        print(f"{'':34} {'Matryx':>10} {'peer':>10} {'ratio':>8}")
        print(f"{'open (in process), median ms':34} {ours['median_ms']:10.2f} {peer_open:10.2f} "
              f"{peer_open / ours['median_ms']:7.1f}x   peer: gguf-py GGUFReader")
        print(f"{'info command, median ms':34} {cli_ms:10.2f} {dump_ms:10.2f} "
              f"{dump_ms / cli_ms:7.1f}x   peer: gguf-dump --no-tensors")


if __name__ == "__main__":
    main()
