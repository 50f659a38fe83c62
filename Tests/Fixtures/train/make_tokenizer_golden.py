#!/usr/bin/env python3
"""Golden token ids for the tokenizer Ponder trains for its small models.

Run by hand (never by the tests) from the repository root, after writing the fixture with

    .build/debug/ponder train tokenizer \
        --config Tests/Fixtures/train/countdown-tokenizer/tokenizer-config.yaml \
        --output Tests/Fixtures/train/countdown-tokenizer
    /work/venv/bin/python Tests/Fixtures/train/make_tokenizer_golden.py

It encodes a list of texts with Hugging Face `tokenizers` (the tokenizer.json exactly as
written) and checks that transformers' AutoTokenizer gives the same ids when the directory
is a `qwen2` checkpoint (transformers 5 rebuilds Qwen2 tokenizers from vocab and merges with
its own pre-tokenizer, so the file must already use that pipeline). golden.json records,
per text: the ids with special tokens (BOS first), the ids without, and the decoded text.
"""
import json
import os
import shutil
import sys
import tempfile

from tokenizers import Tokenizer

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "countdown-tokenizer")

TEXTS = [
    "3 5 7 2 -> 24\n<think>\n",
    "7 - 5 = 2\n3 * 2 = 6\n6 * 4 = 24\n</think>\n<answer>3 * (7 - 5) * 4</answer><|eos|>",
    "96 3 41 -> 73\n<think>\n96 / 3 = 32\n41 + 32 = 73\n</think>\n<answer>41 + 96 / 3</answer>",
    "<answer> (1 + 2) * 3 </answer>",
    "((12 + 30)) - 4 = 38",
    "1000000 -> 99999",
    "Hello, world! It's a test: don't panic.",
    "  leading spaces,\ttabs\t\tand\n\n\nblank lines  \n",
    "<think></think><answer></answer><|bos|><|pad|>",
    "ünïcödé — 日本語 😀 e\u0301 (combining accent)",
    "->->-> ===  +-*/ ()",
    "",
]


def main():
    tokenizer = Tokenizer.from_file(os.path.join(HERE, "tokenizer.json"))
    cases = []
    for text in TEXTS:
        with_special = tokenizer.encode(text, add_special_tokens=True).ids
        without = tokenizer.encode(text, add_special_tokens=False).ids
        cases.append({"text": text, "ids": with_special, "ids_without_special": without,
                      "decoded": tokenizer.decode(without, skip_special_tokens=False)})

    # AutoTokenizer on a qwen2 checkpoint directory must agree.
    from transformers import AutoTokenizer
    with tempfile.TemporaryDirectory() as directory:
        for name in ("tokenizer.json", "tokenizer_config.json"):
            shutil.copy(os.path.join(HERE, name), directory)
        with open(os.path.join(directory, "config.json"), "w") as handle:
            json.dump({"model_type": "qwen2", "vocab_size": tokenizer.get_vocab_size(), "hidden_size": 8,
                       "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 8}, handle)
        auto = AutoTokenizer.from_pretrained(directory)
        for case in cases:
            ids = auto(case["text"]).input_ids
            assert ids == case["ids"], (type(auto).__name__, case["text"], ids, case["ids"])

    import tokenizers
    import transformers
    result = {"versions": {"tokenizers": tokenizers.__version__, "transformers": transformers.__version__},
              "vocab_size": tokenizer.get_vocab_size(), "cases": cases}
    with open(os.path.join(HERE, "golden.json"), "w") as handle:
        json.dump(result, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    print(f"{len(cases)} cases, vocabulary {tokenizer.get_vocab_size()}; AutoTokenizer agrees")


if __name__ == "__main__":
    sys.exit(main())
