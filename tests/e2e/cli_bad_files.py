"""matryx-cli on broken files: exit code 2 and one clear line naming the file, field and byte offset.

The broken files are cut from or patched into a copy of a real GGUF, so the defects sit in a
realistic file rather than in a toy one.
"""
import os
import struct
import subprocess
import sys
import tempfile

from gguf import GGUFReader


def run(cli, *args):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=60)


def main():
    cli, model = sys.argv[1], sys.argv[2]
    data = open(model, "rb").read()
    ref = GGUFReader(model)
    first_tensor = ref.tensors[0]
    tmp = tempfile.mkdtemp(prefix="matryx-bad-")
    cases = {}

    cases["truncated_header.gguf"] = (data[:20], "")
    cases["truncated_in_metadata.gguf"] = (data[:4096], "")
    cases["truncated_data.gguf"] = (data[: first_tensor.data_offset + 10], "")
    cases["wrong_magic.gguf"] = (b"GGUX" + data[4:4096], "magic")
    cases["version_1.gguf"] = (data[:4] + struct.pack("<I", 1) + data[8:4096], "version")
    cases["version_99.gguf"] = (data[:4] + struct.pack("<I", 99) + data[8:4096], "version")
    cases["huge_tensor_count.gguf"] = (data[:8] + struct.pack("<Q", 1 << 60) + data[16:], "n_tensors")
    cases["huge_kv_count.gguf"] = (data[:16] + struct.pack("<Q", 1 << 60) + data[24:], "n_kv")
    # the first key's length runs past the end of the file
    cases["key_past_end.gguf"] = (data[:24] + struct.pack("<Q", len(data)) + data[32:], "kv[0]")
    cases["empty.gguf"] = (b"", "")
    cases["model.bin"] = (b"\x80\x02pickle", "pickle")

    failures = 0
    for name, (content, expect_field) in cases.items():
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(content)
        for sub in ("info", "tensors"):
            r = run(cli, sub, path)
            problems = []
            if r.returncode != 2:
                problems.append(f"exit code {r.returncode}, expected 2")
            err = r.stderr.strip()
            if path not in err:
                problems.append("error does not name the file")
            if expect_field and expect_field not in err.lower():
                problems.append(f"error does not name '{expect_field}'")
            if name.endswith(".gguf") and name != "empty.gguf" and "at byte" not in err:
                problems.append("error does not give the byte offset")
            if len(err.splitlines()) != 1:
                problems.append(f"expected one line on stderr, got {len(err.splitlines())}")
            if r.stdout.strip():
                problems.append("printed output for a broken file")
            status = "ok" if not problems else "FAIL " + "; ".join(problems)
            print(f"{sub:8} {name:28} {status}\n         {err}")
            failures += bool(problems)
    total = 2 * len(cases)
    print(f"{total - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
