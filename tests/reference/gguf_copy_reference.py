#!/usr/bin/env python3
"""gguf-py reads GGUF files that Matryx wrote: the demo model, read by Matryx and written again
(matryx-gguf-copy, at its own alignment of 32 and at 64), must give gguf-py's GGUFReader the
same keys in the same order with the same types and byte-identical values, the same tensor
names, types and shapes, and identical tensor bytes, at offsets aligned as asked.

Usage: gguf_copy_reference.py PATH/TO/matryx-gguf-copy DEMO_MODEL.gguf
Exits 1 on any mismatch, or when the venv lacks gguf/numpy or the model is missing.
"""

import filecmp
import sys
import tempfile
from pathlib import Path

from gguf_compare import compare_fields, compare_tensors, gguf, kv_fields, report, run


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, demo = Path(sys.argv[1]), Path(sys.argv[2])
    if not demo.is_file():
        print(f"FAIL: demo model missing: {demo}")
        return 1
    original = gguf.GGUFReader(demo)
    print(f"original: {len(kv_fields(original))} keys, {len(original.tensors)} tensors")

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.gguf"
        run([tool, demo, copy])
        reader = gguf.GGUFReader(copy)
        report(compare_fields(original, reader), "copy: keys, types and values")
        report(compare_tensors(original.tensors, reader.tensors),
               f"copy: {len(reader.tensors)} tensors, {compare_tensors.bytes_compared} data bytes")
        same = filecmp.cmp(demo, copy, shallow=False)
        print(f"copy is {'byte-identical to' if same else 'laid out differently from'} the original")

        copy64 = Path(tmp) / "copy64.gguf"
        run([tool, demo, copy64, "--alignment", "64"])
        reader = gguf.GGUFReader(copy64)
        report(compare_fields(original, reader, ignore=("general.alignment",)), "copy at 64: keys and values")
        alignment = reader.fields.get("general.alignment")
        errors = []
        if alignment is None or alignment.contents() != 64 or reader.alignment != 64:
            errors.append("general.alignment is not 64")
        if list(kv_fields(reader))[-1] != "general.alignment":
            errors.append("general.alignment is not the last key")
        errors += [f"{t.name}: data offset {t.data_offset} not 64-aligned" for t in reader.tensors
                   if t.data_offset % 64]
        errors += compare_tensors(original.tensors, reader.tensors)
        report(errors, f"copy at 64: alignment and {len(reader.tensors)} tensors")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
