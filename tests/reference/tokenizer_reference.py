#!/usr/bin/env python3
"""Matryx's tokenizers give llama.cpp's token ids.

Every string of tokenizer_corpus.json is tokenized by matryx-tokenize and by llama.cpp
(llama-cpp-python, vocab_only) with add_special and parse_special each on and off; the ids must
be identical. The ids of (add_special, parse_special) = (on, on) are then detokenized by both
(llama_detokenize with remove_special and unparse_special each on and off); the bytes must be
identical. Models: the demo model (byte-level BPE, pre-tokenizer "smollm"), Gemma 3 270M
(SentencePiece), and the demo model's vocabulary under every other pre-tokenizer Matryx has a
preset for (encoding only), written as vocabulary-only GGUF copies with tokenizer.ggml.pre
replaced. Finally encode speed on a long text, next to llama.cpp's in the same run (printed,
not checked).

Usage: tokenizer_reference.py MATRYX_TOKENIZE CORPUS.json DEMO_MODEL.gguf GEMMA_MODEL.gguf
Exits 1 on any difference, or when llama-cpp-python, gguf or a model is missing.
"""

import ctypes
import json
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import gguf
    import llama_cpp
except ImportError as e:
    print(f"FAIL: the reference venv lacks a package: {e}")
    sys.exit(1)

COMBOS = [(False, False), (False, True), (True, False), (True, True)]

# Every tokenizer.ggml.pre with a preset in core/infer/pre_tokenizer_presets.cpp.
PRESETS = [
    "default", "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
    "jina-v5-nano", "jais-2", "dbrx", "smaug-bpe", "deepseek-llm", "deepseek-coder", "deepseek-v3",
    "hunyuan-dense", "joyai-llm", "hy_v4", "spark2_5", "youtu", "falcon", "starcoder", "refact", "command-r",
    "smollm", "codeshell", "exaone", "minerva-7b", "mellum2", "gpt-2", "phi-2", "jina-es", "jina-de",
    "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum", "modern-bert", "jina-v1-en", "jina-v2-code",
    "roberta-bpe", "exaone4", "mpt", "olmo", "jais", "trillion", "granite-docling", "qwen2",
    "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open", "grok-2",
    "qwen35", "poro-chat", "bloom", "gpt3-finnish", "viking", "chatglm-bpe", "glm4", "glm5", "tekken",
    "chameleon", "gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2", "granite-embed-multi-97m",
    "superbpe", "bailingmoe", "bailingmoe2", "llada-moe", "seed-coder", "ufakzeka", "laguna", "exaone-moe",
    "minicpm5",
]


def run_tool(tool, *args):
    result = subprocess.run([str(tool), *map(str, args)], capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"{tool.name} {' '.join(map(str, args))}: {result.stderr.decode(errors='replace')}")
    return json.loads(result.stdout)


def load_llama(path):
    return llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)


def llama_detokenize(llm, ids, remove_special, unparse_special):
    vocab = llm._model.vocab
    array = (llama_cpp.llama_token * max(1, len(ids)))(*ids)
    size = 256 + 64 * len(ids)
    while True:
        buffer = ctypes.create_string_buffer(size)
        n = llama_cpp.llama_detokenize(vocab, array, len(ids), buffer, size, remove_special, unparse_special)
        if n >= 0:
            return buffer.raw[:n]
        size = -n + 16


def show(text, limit=60):
    return repr(text if len(text) <= limit else text[:limit] + "...")


def compare(label, llm, corpus, ours, check_decode):
    """Number of differences between llama.cpp and ours (printing the first few)."""
    failures = 0
    for text, item in zip(corpus, ours["items"]):
        data = text.encode("utf-8")
        for add, special in COMBOS:
            key = f"{int(add)}{int(special)}"
            expected = llm.tokenize(data, add_bos=add, special=special)
            if item["encode"][key] != expected:
                failures += 1
                if failures <= 5:
                    print(f"  {label} encode{key} {show(text)}:\n    llama.cpp {expected}\n    matryx    "
                          f"{item['encode'][key]}")
        if not check_decode:
            continue
        ids = item["encode"]["11"]
        for remove, render in COMBOS:
            key = f"{int(remove)}{int(render)}"
            expected = llama_detokenize(llm, ids, remove, render)
            actual = bytes.fromhex(item["decode"][key])
            if actual != expected:
                failures += 1
                if failures <= 5:
                    print(f"  {label} decode{key} {show(text)}:\n    llama.cpp {expected!r}\n    matryx    {actual!r}")
    return failures


def write_vocabulary_only(source, target):
    """A vocabulary-only copy of `source`: its metadata, no tensors."""
    reader = gguf.GGUFReader(source)
    arch = reader.fields["general.architecture"].contents()
    writer = gguf.GGUFWriter(str(target), arch=arch)
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        kind = field.types[0]
        if kind == gguf.GGUFValueType.ARRAY:
            writer.add_key_value(key, field.contents(), kind, sub_type=field.types[-1])
        else:
            writer.add_key_value(key, field.contents(), kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def with_pre(vocabulary, pre):
    """The bytes of a vocabulary-only GGUF with tokenizer.ggml.pre replaced. Without tensors
    nothing in the file depends on the offsets that the new string's length shifts."""
    key = b"tokenizer.ggml.pre"
    head = struct.pack("<Q", len(key)) + key + struct.pack("<I", int(gguf.GGUFValueType.STRING))
    at = vocabulary.find(head)
    if at < 0 or vocabulary.find(head, at + 1) >= 0:
        raise RuntimeError("tokenizer.ggml.pre is not a single string key of the vocabulary copy")
    start = at + len(head)
    (length,) = struct.unpack_from("<Q", vocabulary, start)
    value = pre.encode("utf-8")
    return vocabulary[:start] + struct.pack("<Q", len(value)) + value + vocabulary[start + 8 + length:]


def speed(tool, model, llm, text, tmp, repeats=5):
    path = Path(tmp) / "bench.txt"
    path.write_bytes(text.encode("utf-8"))
    ours = run_tool(tool, model, "--bench", path, repeats)
    data = text.encode("utf-8")
    llm.tokenize(data, add_bos=False, special=False)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        ids = llm.tokenize(data, add_bos=False, special=False)
        best = min(best, time.perf_counter() - start)
    print(f"  encode speed, {len(data)} bytes, {ours['tokens']} tokens (ours) / {len(ids)} (llama.cpp): "
          f"matryx {ours['tokens'] / ours['seconds_best'] / 1e6:.2f} M tokens/s, "
          f"llama.cpp {len(ids) / best / 1e6:.2f} M tokens/s (best of {repeats})")


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    tool, corpus_path, demo, gemma = map(Path, sys.argv[1:])
    for path in (demo, gemma):
        if not path.is_file():
            print(f"FAIL: model missing: {path}")
            return 1
    corpus = json.loads(corpus_path.read_text(encoding="utf-8"))
    print(f"corpus: {len(corpus)} strings, 4 encode and 4 decode settings each")
    long_text = "\n".join(corpus) * 20

    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for label, model in (("demo", demo), ("gemma", gemma)):
            llm = load_llama(model)
            ours = run_tool(tool, model, corpus_path)
            failures = compare(label, llm, corpus, ours, check_decode=True)
            print(f"{label} ({model.name}): {'OK' if failures == 0 else f'{failures} differences'}"
                  f"{' warnings: ' + '; '.join(ours['warnings']) if ours['warnings'] else ''}")
            speed(tool, model, llm, long_text, tmp)
            total += failures
            llm.close()

        agreed = 0
        vocabulary_path = Path(tmp) / "vocab.gguf"
        write_vocabulary_only(demo, vocabulary_path)
        vocabulary = vocabulary_path.read_bytes()
        for pre in PRESETS:
            target = Path(tmp) / f"vocab-{pre}.gguf"
            target.write_bytes(with_pre(vocabulary, pre))
            try:
                llm = load_llama(target)
            except ValueError as e:
                print(f"  pre {pre}: llama.cpp cannot load it: {e}")
                total += 1
                continue
            ours = run_tool(tool, target, corpus_path)
            failures = compare(f"pre={pre}", llm, corpus, ours, check_decode=True)
            llm.close()
            target.unlink()
            if failures:
                print(f"  pre {pre}: {failures} differences")
            else:
                agreed += 1
            total += failures
        print(f"pre-tokenizers on the demo vocabulary: {agreed} of {len(PRESETS)} identical")

    if total:
        print(f"FAIL: {total} differences")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
