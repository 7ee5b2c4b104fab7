#!/usr/bin/env python3
"""Regenerates the expected renders used by the chat template tests, with real jinja2.

The environment is the one transformers' apply_chat_template builds (trim_blocks, lstrip_blocks,
loopcontrols, its tojson, raise_exception, strftime_now). Needs jinja2 >= 3.1; run from the repository root:

    python3 podserve-model/src/test/python/render_chat_reference.py

It reads the case lists in src/test/resources/io/podserve/model/chat/*_cases.json and writes the
same files with "expected" (the render) or "error" (the exception type) filled in.
"""
import json
import pathlib
from datetime import datetime

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = pathlib.Path("podserve-model/src/test/resources/io/podserve/model/chat")
QWEN3_CONFIG = pathlib.Path("testdata/tokenizers/qwen3/tokenizer_config.json")


def environment():
    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env


def render(env, template, variables):
    context = {"messages": [], "tools": None, "documents": None, "add_generation_prompt": False}
    context.update(variables)
    try:
        return {"expected": env.from_string(template).render(**context)}
    except Exception as e:  # the tests only check that rendering fails too
        return {"error": type(e).__name__}


def qwen3_special_tokens():
    config = json.loads(QWEN3_CONFIG.read_text())
    tokens = {k: config[k] for k in ("eos_token", "pad_token", "unk_token", "bos_token") if config.get(k)}
    tokens["additional_special_tokens"] = config["additional_special_tokens"]
    return tokens, config["chat_template"]


def main():
    env = environment()
    jinja_file = HERE / "jinja_cases.json"
    cases = json.loads(jinja_file.read_text())
    for case in cases:
        case.pop("expected", None)
        case.pop("error", None)
        case.update(render(env, case["template"], case["variables"]))
    jinja_file.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n")

    tokens, template = qwen3_special_tokens()
    qwen_file = HERE / "qwen3_cases.json"
    scenarios = json.loads(qwen_file.read_text())
    for case in scenarios:
        case.pop("expected", None)
        variables = dict(tokens, **case["variables"])
        case.update(render(env, template, variables))
    qwen_file.write_text(json.dumps(scenarios, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
