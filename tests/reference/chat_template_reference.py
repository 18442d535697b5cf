#!/usr/bin/env python3
"""Matryx renders chat templates byte for byte as Hugging Face transformers does.

The reference is Jinja2 set up the way transformers' apply_chat_template sets it up: an
ImmutableSandboxedEnvironment with trim_blocks and lstrip_blocks, the loopcontrols extension,
raise_exception and strftime_now as globals, and tojson replaced by json.dumps (ensure_ascii off);
the template sees messages, tools and documents (none unless given), add_generation_prompt,
bos_token, eos_token and any extra variables. Templates: the demo model's own (SmolLM2, read from
the GGUF with gguf-py) and the stored texts in chat_templates/ (Llama 3, 3.1 and 3.2, Qwen2.5,
Gemma 2 and 3, Mistral 7B Instruct v0.1 and Mistral Nemo). Each is rendered over several
conversations; where Jinja2 raises, Matryx must fail with the same message. The Gemma 3 270M
GGUF carries no template, so on it Matryx must fall back to ChatML and say so.

A last check renders the demo model's template through llama-cpp-python's Jinja2 chat formatter,
which must give the same prompt.

Usage: chat_template_reference.py MATRYX_CHAT_TEMPLATE TEMPLATES_DIR DEMO_MODEL.gguf GEMMA_MODEL.gguf
Exits 1 on any difference, or when jinja2, gguf, llama-cpp-python or a model is missing.
"""

import json
import struct
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

try:
    import gguf
    import jinja2
    import llama_cpp.llama_chat_format as llama_chat_format
    from jinja2.ext import loopcontrols
    from jinja2.sandbox import ImmutableSandboxedEnvironment
except ImportError as e:
    print(f"FAIL: the reference venv lacks a package: {e}")
    sys.exit(1)

NOW = 1_733_011_200 + 13 * 3600 + 7 * 60  # 2024-12-01 13:07 UTC, for strftime_now

SPECIAL_TEXT = (
    "  Ünïcödé: 日本語のテキスト, العربية, Ελληνικά, emoji 🦙🚀👩‍💻, math ∑∫√.\n"
    "Quotes ' \" and backslashes \\n \\\\ {{ not_a_variable }} {% raw %} <|im_end|> </s> [INST]\n"
    "\t tabs\r\n  "
)

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather for a city",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City name, e.g. Zürich"},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                },
                "required": ["city"],
            },
        },
    }
]


def turns(*pairs):
    return [{"role": role, "content": content} for role, content in pairs]


# Conversations every template sees, with and without the generation prompt.
COMMON = [
    turns(("user", "Hello!")),
    turns(("system", "You are a concise assistant."), ("user", "What is 2+2?")),
    turns(("system", "Be brief."), ("user", "Hi"), ("assistant", "Hello, how can I help?"),
          ("user", "Tell me a joke.")),
    turns(("user", "First question"), ("assistant", "First answer"), ("user", "Second question"),
          ("assistant", "Second answer")),
    turns(("user", SPECIAL_TEXT), ("assistant", "  " + SPECIAL_TEXT + "  "), ("user", "")),
    turns(("user", "Hi"), ("user", "two user turns in a row")),
    turns(("assistant", "The assistant speaks first")),
    turns(("system", "Only a system message")),
]

TOOL_CALL = {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Zürich"}},
             "id": "call12345"}
TOOL_CONVERSATION = [
    {"role": "system", "content": "You can look up the weather."},
    {"role": "user", "content": "Weather in Zürich?"},
    {"role": "assistant", "content": "", "tool_calls": [TOOL_CALL]},
    {"role": "tool", "content": "{\"temperature\": 21, \"unit\": \"celsius\"}", "tool_call_id": "call12345"},
    {"role": "assistant", "content": "It is 21 °C in Zürich."},
    {"role": "user", "content": "Thanks"},
]

# Stored templates: file, bos_token, eos_token, extra conversations {"messages", "variables"}.
STORED = [
    ("llama-3-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", []),
    ("llama-3.1-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", [
        {"messages": COMMON[1], "variables": {"date_string": "01 Dec 2024"}},
        {"messages": COMMON[1], "variables": {"tools": TOOLS}},
        {"messages": COMMON[1], "variables": {"tools": TOOLS, "tools_in_user_message": False}},
        {"messages": COMMON[1], "variables": {"builtin_tools": ["code_interpreter", "brave_search"]}},
    ]),
    ("llama-3.2-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", [
        {"messages": COMMON[2], "variables": {"tools": TOOLS}},
    ]),
    ("qwen2.5-instruct.jinja", "", "<|im_end|>", [
        {"messages": COMMON[1], "variables": {"tools": TOOLS}},
        {"messages": TOOL_CONVERSATION, "variables": {"tools": TOOLS}},
    ]),
    ("gemma-2-it.jinja", "<bos>", "<eos>", []),
    ("gemma-3-it.jinja", "<bos>", "<eos>", [
        {"messages": [{"role": "system", "content": [{"type": "text", "text": " System as parts "}]},
                      {"role": "user",
                       "content": [{"type": "image"}, {"type": "text", "text": " Describe this. "}]}]},
        {"messages": [{"role": "user", "content": 42}]},
    ]),
    ("mistral-7b-instruct-v0.1.jinja", "<s>", "</s>", []),
    ("mistral-nemo-instruct-2407.jinja", "<s>", "</s>", [
        {"messages": COMMON[2], "variables": {"tools": TOOLS}},
        {"messages": TOOL_CONVERSATION[1:], "variables": {"tools": TOOLS}},
    ]),
]


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.fromtimestamp(NOW, tz=timezone.utc).strftime(format)


def reference_environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def reference_render(template, case):
    variables = dict(case.get("variables", {}))
    tools = variables.pop("tools", None)
    documents = variables.pop("documents", None)
    try:
        text = template.render(messages=case["messages"], tools=tools, documents=documents,
                               add_generation_prompt=case["add_generation_prompt"],
                               bos_token=case["bos_token"], eos_token=case["eos_token"], **variables)
        return {"text": text}
    except jinja2.exceptions.TemplateError as e:
        return {"error": str(e)}


def matryx_render(tool, template_path, cases):
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
        json.dump(cases, f, ensure_ascii=False)
        cases_path = f.name
    try:
        result = subprocess.run([str(tool), str(template_path), cases_path], capture_output=True)
    finally:
        Path(cases_path).unlink()
    if result.returncode != 0:
        raise RuntimeError(f"{tool.name} {template_path}: {result.stderr.decode(errors='replace')}")
    return json.loads(result.stdout)


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def compare(name, tool, template_path, source, cases):
    """Renders every case with both engines; returns the number of failures."""
    template = reference_environment().from_string(source)
    ours = matryx_render(tool, template_path, cases)
    failures = 0
    rendered = raised = 0
    for index, (case, mine) in enumerate(zip(cases, ours)):
        expected = reference_render(template, case)
        label = f"{name} #{index} (add_generation_prompt={case['add_generation_prompt']})"
        if "error" in expected:
            raised += 1
            if "error" not in mine or expected["error"] not in mine["error"]:
                print(f"FAIL {label}: Jinja2 raised {expected['error']!r}, Matryx gave {mine}")
                failures += 1
            continue
        rendered += 1
        if "error" in mine:
            print(f"FAIL {label}: Matryx failed: {mine['error']}")
            failures += 1
            continue
        if mine["fallback"]:
            print(f"FAIL {label}: Matryx fell back to ChatML: {mine['reason']}")
            failures += 1
            continue
        text = bytes.fromhex(mine["text_hex"])
        want = expected["text"].encode("utf-8")
        if text != want:
            at = first_difference(text, want)
            print(f"FAIL {label}: differs at byte {at}:\n  matryx: {text[max(0, at - 40):at + 40]!r}\n"
                  f"  jinja2: {want[max(0, at - 40):at + 40]!r}")
            failures += 1
    print(f"{name}: {rendered} rendered identically, {raised} raised the same error"
          if failures == 0 else f"{name}: {failures} of {len(cases)} differ")
    return failures


def cases_for(bos, eos, extra):
    cases = []
    for messages in COMMON:
        for generation in (False, True):
            cases.append({"messages": messages, "add_generation_prompt": generation, "bos_token": bos,
                          "eos_token": eos, "now": NOW})
    for case in extra:
        for generation in (False, True):
            cases.append({**case, "add_generation_prompt": generation, "bos_token": bos, "eos_token": eos,
                          "now": NOW})
    return cases


def gguf_string(reader, key):
    field = reader.fields.get(key)
    return bytes(field.parts[field.data[0]]).decode("utf-8") if field else None


def gguf_token(reader, key):
    field = reader.fields.get(key)
    if field is None:
        return ""
    tokens = reader.fields["tokenizer.ggml.tokens"]
    return bytes(tokens.parts[tokens.data[int(field.parts[-1][0])]]).decode("utf-8")


SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


def gguf_has_key(path, wanted):
    """Whether a GGUF file's metadata holds `wanted`: a scan of the key/value section only, since
    gguf-py's reader takes most of a minute over Gemma's 262,144-token vocabulary."""
    with open(path, "rb") as f:
        data = f.read(64 << 20)
    if data[:4] != b"GGUF":
        raise RuntimeError(f"{path} is not a GGUF file")
    kv_count = struct.unpack_from("<Q", data, 16)[0]
    at = 24

    def string():
        nonlocal at
        n = struct.unpack_from("<Q", data, at)[0]
        at += 8 + n
        return data[at - n:at]

    def skip(kind):
        nonlocal at
        if kind == 8:
            string()
        elif kind == 9:
            element, count = struct.unpack_from("<IQ", data, at)
            at += 12
            for _ in range(count):
                skip(element)
        else:
            at += SCALAR_SIZES[kind]

    for _ in range(kv_count):
        key = string().decode("utf-8")
        kind = struct.unpack_from("<I", data, at)[0]
        at += 4
        if key == wanted:
            return True
        skip(kind)
    return False


def check_llama_cpp_python(tool, model_path, source, bos, eos):
    """llama-cpp-python's Jinja2 formatter on the demo model's template gives Matryx's prompt."""
    formatter = llama_chat_format.Jinja2ChatFormatter(template=source, eos_token=eos, bos_token=bos,
                                                     add_generation_prompt=True)
    failures = 0
    for messages in COMMON[:5]:
        expected = formatter(messages=messages).prompt.encode("utf-8")
        case = {"messages": messages, "add_generation_prompt": True, "bos_token": bos, "eos_token": eos}
        mine = matryx_render(tool, model_path, [case])[0]
        if "text_hex" not in mine or bytes.fromhex(mine["text_hex"]) != expected:
            print(f"FAIL llama-cpp-python formatter differs: {mine}")
            failures += 1
    print(f"SmolLM2 via llama-cpp-python: {5 - failures} of 5 identical")
    return failures


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 1
    tool, templates_dir, demo, gemma = map(Path, sys.argv[1:])
    for path in (tool, templates_dir, demo, gemma):
        if not path.exists():
            print(f"FAIL: {path} does not exist")
            return 1
    failures = 0

    reader = gguf.GGUFReader(str(demo))
    source = gguf_string(reader, "tokenizer.chat_template")
    if not source:
        print(f"FAIL: {demo} has no tokenizer.chat_template")
        return 1
    bos = gguf_token(reader, "tokenizer.ggml.bos_token_id")
    eos = gguf_token(reader, "tokenizer.ggml.eos_token_id")
    failures += compare("SmolLM2 (GGUF)", tool, demo, source, cases_for(bos, eos, []))
    failures += check_llama_cpp_python(tool, demo, source, bos, eos)

    # Gemma 3 270M ships without a template: Matryx must fall back to ChatML and say so.
    if gguf_has_key(gemma, "tokenizer.chat_template"):
        print(f"FAIL: {gemma} now has a chat template; compare it like the demo model's")
        failures += 1
    else:
        chatml = reference_environment().from_string(llama_chat_format.CHATML_CHAT_TEMPLATE)
        case = {"messages": COMMON[2], "add_generation_prompt": True, "bos_token": "<bos>",
                "eos_token": "<eos>"}
        mine = matryx_render(tool, gemma, [case])[0]
        expected = reference_render(chatml, case)["text"].encode("utf-8")
        if not mine.get("fallback") or bytes.fromhex(mine["text_hex"]) != expected:
            print(f"FAIL Gemma 3 GGUF without a template: expected the ChatML fallback, got {mine}")
            failures += 1
        else:
            print(f"Gemma 3 GGUF: no template; the ChatML fallback is identical to Jinja2's ChatML "
                  f"({mine['reason']})")

    for file, bos, eos, extra in STORED:
        path = templates_dir / file
        failures += compare(file, tool, path, path.read_text(encoding="utf-8"), cases_for(bos, eos, extra))

    if failures:
        print(f"FAIL: {failures} renderings differ")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
