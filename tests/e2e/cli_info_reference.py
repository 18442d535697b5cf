"""`matryx-cli info --json` and `tensors --json` on a real GGUF agree with gguf-py's reader."""
import json
import subprocess
import sys
from collections import Counter

import numpy as np
from gguf import GGUFReader, GGUFValueType


def run_json(cli, *args):
    out = subprocess.run([cli, *args, "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def reference_value(field):
    """A gguf-py field as plain JSON-like Python values."""
    kind = field.types[0]
    if kind == GGUFValueType.ARRAY:
        sub = field.types[-1]
        if sub == GGUFValueType.STRING:
            return [bytes(field.parts[i]).decode("utf-8") for i in field.data]
        return [field.parts[i].tolist()[0] for i in field.data]
    if kind == GGUFValueType.STRING:
        return bytes(field.parts[field.data[0]]).decode("utf-8")
    return field.parts[field.data[0]].tolist()[0]


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return np.float32(a) == np.float32(b) or (np.isnan(a) and np.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def main():
    cli, path = sys.argv[1], sys.argv[2]
    ref = GGUFReader(path)
    info = run_json(cli, "info", path)
    tensors = run_json(cli, "tensors", path)
    failures = []

    def check(what, ours, theirs):
        if not same(ours, theirs):
            failures.append(f"{what}: matryx {str(ours)[:120]} != gguf-py {str(theirs)[:120]}")

    ref_fields = {k: f for k, f in ref.fields.items() if not k.startswith("GGUF.")}
    check("metadata keys (in order)", list(info["metadata"].keys()), list(ref_fields.keys()))
    for key, field in ref_fields.items():
        ours = info["metadata"].get(key)
        if ours is None:
            continue
        check(f"{key} type", ours["type"], field.types[0].name)
        if field.types[0] == GGUFValueType.ARRAY:
            check(f"{key} element type", ours.get("element_type"), field.types[-1].name)
        check(f"{key} value", ours["value"], reference_value(field))

    check("gguf version", info["gguf_version"], int(ref.fields["GGUF.version"].parts[-1][0]))
    check("architecture", info["architecture"], reference_value(ref.fields["general.architecture"]))
    check("tensor count", info["tensor_count"], len(ref.tensors))
    params = sum(int(t.n_elements) for t in ref.tensors)
    check("parameters", info["parameters"], params)
    tensor_bytes = sum(int(t.n_bytes) for t in ref.tensors)
    check("tensor bytes", info["tensor_bytes"], tensor_bytes)
    check("bits per weight", round(info["bits_per_weight"], 6), round(8 * tensor_bytes / params, 6))
    check("types", info["tensor_types"], dict(Counter(t.tensor_type.name for t in ref.tensors)))
    check("file size", info["file_size"], len(ref.data))

    check("tensors listed", len(tensors), len(ref.tensors))
    for ours, theirs in zip(tensors, ref.tensors):
        check(f"{theirs.name} name", ours["name"], theirs.name)
        check(f"{theirs.name} type", ours["type"], theirs.tensor_type.name)
        check(f"{theirs.name} shape", ours["shape"], [int(d) for d in theirs.shape])
        check(f"{theirs.name} bytes", ours["bytes"], int(theirs.n_bytes))
        check(f"{theirs.name} offset", ours["offset"], int(theirs.data_offset))

    print(f"compared {len(ref_fields)} metadata keys and {len(ref.tensors)} tensors of {path}")
    for f in failures[:50]:
        print("MISMATCH", f)
    print(f"{len(ref_fields) + len(ref.tensors) - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
