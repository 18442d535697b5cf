#!/usr/bin/env python3
"""Split models Matryx writes and reads, against gguf-py and llama.cpp. The demo model is
copied into shards of at most 100 tensors (matryx-gguf-copy --split-max-tensors 100):
  - gguf-py reads every shard: the first holds the original keys (same types, byte-identical
    values) plus split.no (UINT16), split.count (UINT16), split.tensors.count (INT32); the
    others hold only the split keys; the shards' tensors, in order, equal the original's
    (names, types, shapes, bytes);
  - llama.cpp (llama-cpp-python) loads the split model from its first shard and greedy-generates
    the same 16 tokens as the original;
  - Matryx opens the split model from its last shard (matryx-gguf-dump: every tensor, no split
    keys) and writes it back as one file that is byte-identical to a single-file copy.

Usage: gguf_split_reference.py PATH/TO/matryx-gguf-copy PATH/TO/matryx-gguf-dump DEMO_MODEL.gguf
Exits 1 on any mismatch, or when the venv lacks gguf/numpy/llama-cpp-python or the model is missing.
"""

import filecmp
import json
import sys
import tempfile
from pathlib import Path

from gguf_compare import compare_fields, compare_tensors, gguf, kv_fields, report, run
from gguf_llama_reference import greedy_tokens

SPLIT_KEYS = {"split.no": "UINT16", "split.count": "UINT16", "split.tensors.count": "INT32"}


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    copy_tool, dump_tool, demo = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    if not demo.is_file():
        print(f"FAIL: demo model missing: {demo}")
        return 1
    original = gguf.GGUFReader(demo)
    n = len(original.tensors)

    with tempfile.TemporaryDirectory() as tmp:
        shards = [Path(p) for p in run([copy_tool, demo, Path(tmp) / "demo", "--split-max-tensors", "100"]).split()]
        count = len(shards)
        expected_names = [f"demo-{k + 1:05d}-of-{count:05d}.gguf" for k in range(count)]
        errors = []
        if [p.name for p in shards] != expected_names or count != (n + 99) // 100:
            errors.append(f"shards {[p.name for p in shards]}")
        readers = [gguf.GGUFReader(p) for p in shards]
        for k, reader in enumerate(readers):
            fields = kv_fields(reader)
            for key, type_name in SPLIT_KEYS.items():
                want = {"split.no": k, "split.count": count, "split.tensors.count": n}[key]
                field = fields.get(key)
                if field is None or field.types[0].name != type_name or field.contents() != want:
                    errors.append(f"shard {k + 1}: {key} is not {type_name} {want}")
            if k > 0 and set(fields) != set(SPLIT_KEYS):
                errors.append(f"shard {k + 1}: keys {list(fields)}")
        errors += compare_fields(original, readers[0], ignore=tuple(SPLIT_KEYS))
        errors += compare_tensors(original.tensors, [t for r in readers for t in r.tensors])
        report(errors, f"gguf-py reads {count} shards: keys, split keys, {n} tensors")

        expected = greedy_tokens(demo)
        got = greedy_tokens(shards[0])
        report([] if expected and got and got[0] == expected[0] else [f"{got} != {expected}"],
               f"llama.cpp loads the split model and generates {expected[1]!r}")

        dumped = json.loads(run([dump_tool, shards[-1]]))
        errors = []
        if [m["key"] for m in dumped["metadata"]] != list(kv_fields(original)):
            errors.append("merged metadata keys differ from the original's")
        if [t["name"] for t in dumped["tensors"]] != [t.name for t in original.tensors]:
            errors.append("merged tensors differ from the original's")
        sources = [t["source"] for t in dumped["tensors"]]
        if sources != [i // 100 for i in range(n)]:
            errors.append("tensor sources are not the shard indices")
        single, joined = Path(tmp) / "single.gguf", Path(tmp) / "joined.gguf"
        run([copy_tool, demo, single])
        run([copy_tool, shards[-1], joined])
        if not filecmp.cmp(single, joined, shallow=False):
            errors.append("the split model written as one file differs from a single-file copy")
        report(errors, "Matryx opens the shards as one model and joins them byte for byte")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
