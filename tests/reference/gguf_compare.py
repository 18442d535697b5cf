"""Comparisons shared by the GGUF reference checks, on gguf-py's GGUFReader view of files.

Each function returns a list of mismatch descriptions (empty when equal) so that a check can
print them all before it fails.
"""

import subprocess
import sys

try:
    import numpy as np
    import gguf
except ImportError as e:
    print(f"FAIL: the reference venv lacks numpy/gguf: {e}")
    sys.exit(1)

# gguf-py adds these before the file's own keys.
SYNTHETIC = ("GGUF.version", "GGUF.tensor_count", "GGUF.kv_count")


def run(args):
    """Runs a Matryx tool; exits with its stderr when it fails."""
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"FAIL: {' '.join(str(a) for a in args)} exited {result.returncode}:\n{result.stderr}")
        sys.exit(1)
    return result.stdout


def kv_fields(reader):
    return {k: f for k, f in reader.fields.items() if k not in SYNTHETIC}


def field_bytes(field):
    """The value's encoding as stored (type tags, lengths, payload), without the key."""
    return b"".join(p.tobytes() for p in field.parts[3:])


def compare_fields(expected, actual, ignore=()):
    """Same keys in the same order, same types, byte-identical encoded values."""
    errors = []
    a = {k: f for k, f in kv_fields(expected).items() if k not in ignore}
    b = {k: f for k, f in kv_fields(actual).items() if k not in ignore}
    if list(a) != list(b):
        errors.append(f"keys differ:\n  expected {list(a)}\n  actual   {list(b)}")
        return errors
    for key in a:
        ta = [t.name for t in a[key].types]
        tb = [t.name for t in b[key].types]
        if ta != tb:
            errors.append(f"{key}: types {ta} != {tb}")
        elif field_bytes(a[key]) != field_bytes(b[key]):
            errors.append(f"{key}: values differ")
        elif a[key].types[0] != gguf.GGUFValueType.ARRAY and a[key].contents() != b[key].contents():
            errors.append(f"{key}: {a[key].contents()!r} != {b[key].contents()!r}")
    return errors


def tensor_bytes(tensor):
    return np.ascontiguousarray(tensor.data).reshape(-1).view(np.uint8)


def compare_tensors(expected, actual):
    """Same names, types and shapes in the same order, identical data bytes."""
    errors = []
    names_a = [t.name for t in expected]
    names_b = [t.name for t in actual]
    if names_a != names_b:
        return [f"tensor names differ ({len(names_a)} vs {len(names_b)})"]
    total = 0
    for ta, tb in zip(expected, actual):
        if ta.tensor_type != tb.tensor_type:
            errors.append(f"{ta.name}: type {ta.tensor_type.name} != {tb.tensor_type.name}")
        if list(ta.shape) != list(tb.shape):
            errors.append(f"{ta.name}: shape {list(ta.shape)} != {list(tb.shape)}")
        if ta.n_bytes != tb.n_bytes or not np.array_equal(tensor_bytes(ta), tensor_bytes(tb)):
            errors.append(f"{ta.name}: data differs")
        total += ta.n_bytes
    compare_tensors.bytes_compared = total
    return errors


def report(errors, what):
    if errors:
        for e in errors[:50]:
            print(f"  MISMATCH {e}")
        print(f"FAIL: {what}: {len(errors)} mismatches")
        sys.exit(1)
    print(f"ok: {what}")
