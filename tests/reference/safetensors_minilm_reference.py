"""The real all-MiniLM-L6-v2 Hugging Face folder, opened by Matryx, against the Python
safetensors library and the folder's own JSON files.

- tensors: count, names, shapes, dtypes and bytes equal what safetensors.safe_open lists;
- metadata: general.architecture "bert", hyperparameters from config.json, and a token list of
  30522 entries equal to tokenizer.json's vocabulary in llama.cpp's BERT form (convert_hf_to_gguf
  BertModel.set_vocab: control tokens as they are, "##x" -> "x", other tokens "\u2581" + token);
- the folder exported by Matryx's writer loads with safetensors.numpy.load_file with equal values
  and the metadata in "__metadata__".

usage: safetensors_minilm_reference.py SAFETENSORS_DUMP SAFETENSORS_COPY MINILM_DIR
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import safetensors
import safetensors.numpy

DUMP, COPY, FOLDER = sys.argv[1], sys.argv[2], Path(sys.argv[3])
if not (FOLDER / "model.safetensors").is_file():
    sys.exit(f"all-MiniLM-L6-v2 folder not found at {FOLDER} (run packaging/bootstrap.sh)")

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


run = subprocess.run([DUMP, str(FOLDER)], capture_output=True, text=True)
if run.returncode != 0:
    sys.exit(f"safetensors_dump failed: {run.stderr}")
got = json.loads(run.stdout)
check(got["format"] == "Hugging Face folder", f"format {got['format']}")

# Tensors against safe_open
model_file = FOLDER / "model.safetensors"
raw = model_file.read_bytes()
ours = {t["name"]: t for t in got["tensors"]}
with safetensors.safe_open(str(model_file), framework="numpy") as f:
    keys = list(f.keys())
    check(len(got["tensors"]) == len(keys), f"{len(got['tensors'])} tensors, safe_open lists {len(keys)}")
    check(set(ours) == set(keys), f"names differ: {sorted(set(ours) ^ set(keys))[:5]}")
    for name in keys:
        t = ours.get(name)
        if t is None:
            continue
        sl = f.get_slice(name)
        check(list(reversed(t["shape"])) == list(sl.get_shape()), f"{name}: shape {t['shape']} vs {sl.get_shape()}")
        check(t["dtype"] == sl.get_dtype(), f"{name}: dtype {t['dtype']} vs {sl.get_dtype()}")
        array = f.get_tensor(name)
        check(raw[t["offset"] : t["offset"] + t["bytes"]] == array.tobytes(), f"{name}: bytes differ")

# Metadata against config.json and tokenizer.json
meta, types = got["metadata"], got["metadata_types"]
config = json.loads((FOLDER / "config.json").read_text())
tokenizer = json.loads((FOLDER / "tokenizer.json").read_text())
check(meta.get("general.architecture") == "bert", f"architecture {meta.get('general.architecture')}")
for key, field in [("bert.block_count", "num_hidden_layers"), ("bert.context_length", "max_position_embeddings"),
                   ("bert.embedding_length", "hidden_size"), ("bert.feed_forward_length", "intermediate_size"),
                   ("bert.attention.head_count", "num_attention_heads")]:
    check(meta.get(key) == config[field] and types.get(key) == "UINT32", f"{key} = {meta.get(key)} ({types.get(key)})")
check(abs(meta.get("bert.attention.layer_norm_epsilon", 0) - config["layer_norm_eps"]) < 1e-18,
      "layer_norm_epsilon differs")
check(meta.get("bert.attention.causal") is False, "bert must be marked non-causal")
check(meta.get("tokenizer.ggml.model") == "bert", f"tokenizer model {meta.get('tokenizer.ggml.model')}")

vocab = tokenizer["model"]["vocab"]
special = {t["id"]: t["content"] for t in tokenizer["added_tokens"] if t["special"]}
by_id = {i: tok for tok, i in vocab.items()}
expected_tokens = []
expected_types = []
for i in range(config["vocab_size"]):
    tok = by_id[i]
    if i in special:
        expected_tokens.append(special[i])
        expected_types.append(3)  # control
    else:
        expected_tokens.append(tok[2:] if tok.startswith("##") else "\u2581" + tok)
        expected_types.append(1)  # normal
tokens = meta.get("tokenizer.ggml.tokens", [])
check(len(tokens) == 30522, f"{len(tokens)} tokens")
check(tokens == expected_tokens, "token list differs from tokenizer.json's vocabulary")
check(meta.get("tokenizer.ggml.token_type") == expected_types, "token types differ")
check(types.get("tokenizer.ggml.token_type") == "ARRAY[INT32]", f"token_type type {types.get('tokenizer.ggml.token_type')}")
check(meta.get("tokenizer.ggml.cls_token_id") == vocab["[CLS]"], "cls token id")
check(meta.get("tokenizer.ggml.seperator_token_id") == vocab["[SEP]"], "sep token id")
check(meta.get("tokenizer.ggml.unknown_token_id") == vocab["[UNK]"], "unk token id")
check(meta.get("tokenizer.ggml.padding_token_id") == vocab["[PAD]"], "pad token id")

# Matryx's writer on the whole folder; the library loads it
with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "minilm.safetensors"
    run = subprocess.run([COPY, str(FOLDER), str(out)], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"safetensors_copy failed: {run.stderr}")
    written = safetensors.numpy.load_file(str(out))
    original = safetensors.numpy.load_file(str(model_file))
    check(set(written) == set(original), "written tensor names differ")
    for name, array in original.items():
        if name in written:
            check(written[name].dtype == array.dtype and np.array_equal(written[name], array),
                  f"written {name}: values differ")
    with safetensors.safe_open(str(out), framework="numpy") as f:
        written_meta = f.metadata()
    check(written_meta.get("format") == "pt", "written file lacks format: pt")
    arch = json.loads(written_meta.get("gguf:general.architecture", "{}"))
    check(arch == {"type": "STRING", "value": "bert"}, f"gguf:general.architecture = {arch}")
    written_tokens = json.loads(written_meta.get("gguf:tokenizer.ggml.tokens", "{}"))
    check(written_tokens.get("element") == "STRING" and written_tokens.get("value") == expected_tokens,
          "gguf:tokenizer.ggml.tokens differs")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all-MiniLM-L6-v2 reference checks passed")
