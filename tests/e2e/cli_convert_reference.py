"""`matryx-cli convert` checked with code nobody here wrote: gguf-py reads our GGUF, the
safetensors package reads our safetensors, llama.cpp (llama-cpp-python) runs our F16 export.

1. demo model (Q4_1) -> F16 GGUF: every tensor equals gguf-py's dequantization rounded to f16 by
   numpy (1-D tensors stay f32); metadata equal except general.file_type; llama.cpp loads it and
   greedy decoding agrees with the original.
2. F16 GGUF -> safetensors: Hugging Face names, values equal, q/k rows in Hugging Face order
   (undone with llama.cpp's own permutation formula written out here).
3. safetensors -> GGUF: identical tensor bytes and metadata to step 1 (lossless round trip).
4. all-MiniLM-L6-v2 folder -> safetensors: bit-identical tensors; -> GGUF: gguf-py reads it.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from gguf import GGUFReader, GGMLQuantizationType
from gguf.quants import dequantize
from safetensors import safe_open
from safetensors.numpy import load_file

FAILURES = []
CHECKS = 0


def check(ok, what):
    global CHECKS
    CHECKS += 1
    if not ok:
        FAILURES.append(what)
        print("MISMATCH", what)


def convert(cli, src, dst, typ):
    r = subprocess.run([cli, "convert", src, dst, "--type", typ, "--quiet"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"convert {src} -> {dst} failed: {r.stderr}")


def field_value(field):
    if field.types[0].name == "ARRAY":
        if field.types[-1].name == "STRING":
            return [bytes(field.parts[i]).decode() for i in field.data]
        return [field.parts[i].tolist()[0] for i in field.data]
    if field.types[0].name == "STRING":
        return bytes(field.parts[field.data[0]]).decode()
    return field.parts[field.data[0]].tolist()[0]


def metadata(reader):
    return {k: (f.types[0].name, field_value(f)) for k, f in reader.fields.items() if not k.startswith("GGUF.")}


def hf_permute(w, n_head):
    """convert_hf_to_gguf.py's LlamaModel.permute: Hugging Face row order -> GGUF row order."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


TEXT = ("The quick brown fox jumps over the lazy dog. Paris is the capital of France, and Berlin is "
        "the capital of Germany. Water boils at one hundred degrees Celsius at sea level. In 1969, "
        "people first walked on the Moon. def add(a, b):\n    return a + b\n")


def logits(path):
    """Logits at every position of TEXT, from llama.cpp itself."""
    from llama_cpp import Llama
    llm = Llama(model_path=path, n_ctx=256, n_threads=2, verbose=False, logits_all=True)
    tokens = llm.tokenize(TEXT.encode())
    llm.eval(tokens)
    return np.array(llm.scores[: len(tokens)], dtype=np.float32)


def main():
    cli, demo, minilm = sys.argv[1:4]
    tmp = tempfile.mkdtemp(prefix="matryx-convert-")
    f16_path = os.path.join(tmp, "demo-f16.gguf")
    st_path = os.path.join(tmp, "demo.safetensors")
    back_path = os.path.join(tmp, "demo-back.gguf")

    # 1. Q4_1 -> F16 GGUF
    convert(cli, demo, f16_path, "f16")
    orig, f16 = GGUFReader(demo), GGUFReader(f16_path)
    f16_tensors = {t.name: t for t in f16.tensors}
    check([t.name for t in orig.tensors] == [t.name for t in f16.tensors], "tensor names and order")
    for t in orig.tensors:
        ours = f16_tensors[t.name]
        want = dequantize(t.data, t.tensor_type)
        if len(t.shape) == 1:
            check(ours.tensor_type == GGMLQuantizationType.F32, f"{t.name} stays F32")
            check(np.array_equal(np.asarray(ours.data).reshape(-1), want.reshape(-1)), f"{t.name} values")
        else:
            check(ours.tensor_type == GGMLQuantizationType.F16, f"{t.name} is F16")
            check(np.array_equal(np.asarray(ours.data).reshape(-1).view(np.uint16),
                                 want.reshape(-1).astype(np.float16).view(np.uint16)), f"{t.name} f16 bits")
    meta_orig, meta_f16 = metadata(orig), metadata(f16)
    check(meta_f16.pop("general.file_type") == ("UINT32", 1), "general.file_type is MOSTLY_F16")
    meta_orig.pop("general.file_type")
    check(meta_orig == meta_f16, "metadata carried over")

    # The F16 weights equal the Q4_1 ones to f16 precision, but llama.cpp multiplies Q4_1 weights
    # with activations rounded to 8 bits and F16 weights with f16 activations: logits agree
    # closely, not bit for bit.
    a, b = logits(demo), logits(f16_path)
    top1 = float(np.mean(a.argmax(axis=1) == b.argmax(axis=1)))
    spread = float(np.max(np.abs(a - b)))
    print(f"llama.cpp on the F16 export vs the original: top-1 agreement {top1:.3f} over {len(a)} "
          f"positions, max |logit difference| {spread:.3f}")
    check(top1 >= 0.9, "llama.cpp top-1 agreement on the F16 export >= 0.9")

    # 2. F16 GGUF -> safetensors with Hugging Face names and row order
    convert(cli, f16_path, st_path, "f16")
    st = load_file(st_path)
    n_head = field_value(f16.fields["llama.attention.head_count"])
    n_kv = field_value(f16.fields["llama.attention.head_count_kv"])
    check("model.embed_tokens.weight" in st and "model.layers.0.self_attn.q_proj.weight" in st, "HF names")
    check(len(st) == len(f16.tensors), "tensor count")
    q = st["model.layers.3.self_attn.q_proj.weight"]
    k = st["model.layers.3.self_attn.k_proj.weight"]
    gq = np.asarray(f16_tensors["blk.3.attn_q.weight"].data)
    gk = np.asarray(f16_tensors["blk.3.attn_k.weight"].data)
    check(q.shape == gq.shape and np.array_equal(hf_permute(q, n_head), gq), "q rows in HF order")
    check(np.array_equal(hf_permute(k, n_kv), gk), "k rows in HF order")
    check(np.array_equal(st["model.layers.3.mlp.down_proj.weight"], np.asarray(f16_tensors["blk.3.ffn_down.weight"].data)),
          "ffn_down values")
    with safe_open(st_path, "np") as f:
        meta = f.metadata()
    check(meta.get("format") == "pt" and any(k.startswith("gguf:") for k in meta), "__metadata__ carries GGUF keys")

    # 3. safetensors -> GGUF: lossless
    convert(cli, st_path, back_path, "f16")
    back = GGUFReader(back_path)
    check([t.name for t in back.tensors] == [t.name for t in f16.tensors], "round trip: names")
    for t in back.tensors:
        ref = f16_tensors[t.name]
        check(t.tensor_type == ref.tensor_type and bytes(t.data) == bytes(ref.data), f"round trip: {t.name} bytes")
    check(metadata(back) == metadata(f16), "round trip: metadata")

    # 4. a real Hugging Face folder
    mini_st = os.path.join(tmp, "minilm.safetensors")
    convert(cli, minilm, mini_st, "f32")
    ours, theirs = load_file(mini_st), load_file(os.path.join(minilm, "model.safetensors"))
    check(sorted(ours) == sorted(theirs), "MiniLM tensor names")
    for name, value in theirs.items():
        check(name in ours and ours[name].dtype == value.dtype and np.array_equal(ours[name], value), f"MiniLM {name}")
    mini_gguf = os.path.join(tmp, "minilm.gguf")
    convert(cli, minilm, mini_gguf, "f16")
    g = GGUFReader(mini_gguf)
    check(len(g.tensors) == len(theirs), "MiniLM GGUF tensor count")
    check(field_value(g.fields["general.architecture"]) == "bert", "MiniLM architecture")
    check(len(g.fields["tokenizer.ggml.tokens"].data) == 30522, "MiniLM vocabulary")

    print(f"{CHECKS - len(FAILURES)} passed, {len(FAILURES)} failed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
