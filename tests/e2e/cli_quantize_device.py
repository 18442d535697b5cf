"""matryx-cli quantize --device opencl writes the same bytes as --device cpu.

For each preset (together they use every type with an OpenCL kernel: Q8_0, Q4_0, Q4_1, Q5_0, Q5_1,
Q4_K, Q6_K) the demo model's F16 export is quantized twice (from the Q4_1 demo model itself, the
Q4_1 preset would copy every tensor unchanged), once on the CPU and once forced onto OpenCL, and the
files are compared byte for byte; so are the nested files of quantize --matryoshka (the OpenCL
nesting kernel). The OpenCL run must say that it quantized tensors on an OpenCL
device, so that a silent CPU run cannot pass. Fails when there is no OpenCL device.

usage: cli_quantize_device.py MATRYX_CLI MODEL.gguf
"""

import subprocess
import sys
import tempfile
from pathlib import Path

MATRYOSHKA = "matryoshka"
PRESETS = ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K_M", MATRYOSHKA]


def quantize(cli, model, out, preset, device):
    how = ["--matryoshka"] if preset == MATRYOSHKA else ["--preset", preset]
    result = subprocess.run([cli, "quantize", model, str(out), *how, "--device", device],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.exit(f"FAIL: quantize {' '.join(how)} --device {device} exited {result.returncode}:\n"
                 f"{result.stderr}")
    return result.stderr


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    cli, model = sys.argv[1], sys.argv[2]
    if not Path(model).is_file():
        sys.exit(f"FAIL: model {model} not found")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        f16 = Path(tmp, "demo-f16.gguf")
        subprocess.run([cli, "convert", model, str(f16), "--type", "f16", "--quiet"], check=True, timeout=600)
        model = str(f16)
        for preset in PRESETS:
            cpu, ocl = Path(tmp, f"{preset}-cpu.gguf"), Path(tmp, f"{preset}-opencl.gguf")
            quantize(cli, model, cpu, preset, "cpu")
            log = quantize(cli, model, ocl, preset, "opencl")
            if "quantized on OpenCL" not in log and "nested on OpenCL" not in log:
                print(f"FAIL {preset}: the OpenCL run does not report tensors quantized on OpenCL:\n{log}")
                failures += 1
                continue
            a, b = cpu.read_bytes(), ocl.read_bytes()
            if a != b:
                first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
                print(f"FAIL {preset}: files differ ({len(a)} and {len(b)} bytes, first at offset {first})")
                failures += 1
            else:
                print(f"ok   {preset}: {len(a)} bytes identical")
            cpu.unlink()
            ocl.unlink()
    if failures:
        sys.exit(f"{failures} of {len(PRESETS)} presets differ")
    print(f"all {len(PRESETS)} presets byte-identical on CPU and OpenCL")


if __name__ == "__main__":
    main()
