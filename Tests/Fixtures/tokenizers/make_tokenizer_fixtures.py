#!/usr/bin/env python3
"""Builds the small byte-level BPE tokenizer fixtures and their golden encodings.

Run by hand (never by the tests):

    /work/venv/bin/python Tests/Fixtures/tokenizers/make_tokenizer_fixtures.py

Every tokenizer is trained here with the `tokenizers` library, then (where a fixture needs a
shape that training cannot produce) post-edited as JSON and reloaded, and every golden comes
from `tokenizers` itself, never from `transformers` (transformers 5.x rewrites Llama
pre-tokenizers; see engine-facts.md A5). Output is deterministic: the training corpus and the
random test strings come from a seeded `random.Random`.

    --large DIR   also writes DIR/tokenizer.json, a synthetic 150k-vocab Qwen2-style file used
                  only to measure load time and throughput (not committed).
"""

import argparse
import copy
import json
import os
import random
import sys

import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
from tokenizers import pre_tokenizers, processors, trainers

HERE = os.path.dirname(os.path.abspath(__file__))

QWEN2_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
               r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
                r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")

# R1-like added tokens: U+FF5C FULLWIDTH VERTICAL LINE and U+2581 LOWER ONE EIGHTH BLOCK.
BAR, LOW = "\uff5c", "\u2581"
R1_BOS = f"<{BAR}begin{LOW}of{LOW}sentence{BAR}>"
R1_EOS = f"<{BAR}end{LOW}of{LOW}sentence{BAR}>"
R1_USER = f"<{BAR}User{BAR}>"
R1_ASSISTANT = f"<{BAR}Assistant{BAR}>"

ENGLISH = """The quick brown fox jumps over the lazy dog. It's a truth universally acknowledged
that a single man in possession of a good fortune must be in want of a wife. I'll be there;
we're sure they've said she'd come. Don't panic! The answer is 42, or maybe 3.14159 or
1234567890. Countdown: reach 24 using 3, 4, 6 and 8 with + - * /. Let me think step by step.
First, 6 * 4 = 24. Then check: 8 - 3 = 5, 5 * 4 = 20, 20 + 6 = 26. Wait, that's wrong.
def solve(numbers, target):\n    for a in numbers:\n        if a == target:\n            return True
    return False\n\nprint(solve([1, 2, 3], 6))  # => True
Multiplication: 123 * 456 = 56088. Reasoning models think before they answer.
<think>reasoning goes here</think> The final answer is \\boxed{17}.
"""
CJK = "中文字符测试，你好世界！日本語のテキストです。カタカナとひらがな。한국어 텍스트입니다."
OTHER = "Привет, мир! Ελληνικά κείμενο. مرحبا بالعالم. नमस्ते दुनिया. café naïve résumé"
EMOJI = "😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️ 🎉"

# Pools for random strings: each is a list of code-point ranges.
SCRIPTS = {
    "latin": [(0x61, 0x7A), (0x41, 0x5A)],
    "latin1": [(0xC0, 0xFF)],
    "cyrillic": [(0x430, 0x44F)],
    "greek": [(0x3B1, 0x3C9)],
    "cjk": [(0x4E00, 0x4E80)],
    "kana": [(0x3041, 0x3096), (0x30A1, 0x30FA)],
    "hangul": [(0xAC00, 0xAC80)],
    "arabic": [(0x627, 0x64A)],
    "devanagari": [(0x905, 0x939), (0x93E, 0x94C)],
    "digits": [(0x30, 0x39)],
    "fancy_digits": [(0x660, 0x669), (0x2460, 0x2473), (0xB2, 0xB3)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E), (0x3001, 0x3002)],
    "emoji": [(0x1F600, 0x1F64F), (0x1F300, 0x1F320)],
    "combining": [(0x300, 0x36F)],
}
SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", "\t", " \n", "\r\n", "'s ", "'ll ", "\u00a0",
              "\u3000", "\u2003", "\u0085", "\u000b", "\u200b", " - ", ", "]


def random_word(rng):
    script = rng.choice(list(SCRIPTS))
    ranges = SCRIPTS[script]
    out = []
    for _ in range(rng.randint(1, 9)):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def random_string(rng):
    parts = []
    for _ in range(rng.randint(1, 7)):
        parts.append(random_word(rng))
        parts.append(rng.choice(SEPARATORS))
    if rng.random() < 0.5:
        parts.pop()
    return "".join(parts)


def training_corpus(seed):
    rng = random.Random(seed)
    lines = [ENGLISH] * 30 + [CJK] * 10 + [OTHER] * 10 + [EMOJI] * 5
    lines += [random_string(rng) for _ in range(400)]
    return lines


def base_corpus():
    """Hand-picked strings every fixture is checked on."""
    return [
        "",
        "Hello world",
        "Hello, world! How are you?",
        "  leading spaces",
        "trailing spaces   ",
        "12345 3.14159",
        "1234567890 and 007",
        "phone: 555-0123, pi≈3.14",
        "multiple   spaces\tand\ttabs\t\t end",
        "line1\nline2\n\nline3\r\nline4",
        "\n\n\n",
        "   \n  \n ",
        " ",
        "I'll DON'T we're they've she'd it's I'M",
        "'s 'S 'ſ 'LL",
        "中文字符测试，你好世界！",
        "日本語のテキストです。カタカナ",
        "한국어 텍스트",
        "emoji 😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️",
        "👨‍👩‍👧‍👦👨‍👩‍👧‍👦",
        "café (NFC) vs cafe\u0301 (NFD)",
        "e\u0301",
        "\u00e9",
        "\u0301 leading combining mark",
        "A\u030a \u00c5 \u212b",
        "ﬁ ligature ① ² Ⅷ ١٢٣",
        "Привет, мир! Ελληνικά κείμενο",
        "مرحبا بالعالم",
        "नमस्ते दुनिया",
        "def foo(x):\n    return x * 2  # comment\n",
        "a\u3000b\u00a0c\u0085d\u000be\u2028f\u200bg\u180eh\ufeffi",
        ".:.: ..:: ...",
        "x" + "a" * 300,
        "ab" * 120,
        " " * 64 + "z",
        "y" + "\n" * 40,
        "\u0000\u0001\u007f control \u00ad soft hyphen",
    ]


def random_corpus(count, seed):
    rng = random.Random(seed)
    return [random_string(rng) for _ in range(count)]


def train(pre_tokenizer, normalizer, vocab_size, seed, ignore_merges=False):
    tok = Tokenizer(models.BPE(ignore_merges=ignore_merges))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(training_corpus(seed), trainer)
    return tok


def golden_cases(tok, texts, bos_id=None, eos_id=None):
    """Encodes every text with tokenizers; `bos_id`/`eos_id` emulate transformers 4.4x
    LlamaTokenizerFast.update_post_processor (see README)."""
    cases = []
    for text in texts:
        with_special = tok.encode(text, add_special_tokens=True).ids
        if bos_id is not None:
            with_special = [bos_id] + with_special
        if eos_id is not None:
            with_special = with_special + [eos_id]
        plain = tok.encode(text, add_special_tokens=False).ids
        case = {"text": text, "ids": with_special, "ids_no_special": plain}
        # Omitted when equal, to keep the files small: "decoded" defaults to "text" and
        # "decoded_skip_special" to "decoded".
        decoded = tok.decode(with_special, skip_special_tokens=False)
        skipped = tok.decode(with_special, skip_special_tokens=True)
        if decoded != text:
            case["decoded"] = decoded
        if skipped != decoded:
            case["decoded_skip_special"] = skipped
        cases.append(case)
    return cases


def write_json(path, value, indent=None):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def reload(spec):
    """Round-trips a post-edited tokenizer.json dict through tokenizers, so every golden
    comes from the file exactly as committed."""
    return Tokenizer.from_str(json.dumps(spec, ensure_ascii=False))


def decode_cases(tok, spec, seed, count=20):
    """Decode goldens for arbitrary id lists: random ids (which often form invalid UTF-8 and
    exercise the lossy U+FFFD rule) and an emoji string's ids reversed."""
    rng = random.Random(seed)
    ids = sorted(set(spec["model"]["vocab"].values()) | {t["id"] for t in spec["added_tokens"]})
    lists = [[rng.choice(ids) for _ in range(rng.randint(1, 12))] for _ in range(count)]
    lists.append(list(reversed(tok.encode("👨‍👩‍👧‍👦 中文 é", add_special_tokens=False).ids)))
    cases = []
    for l in lists:
        case = {"ids": l, "decoded": tok.decode(l, skip_special_tokens=False)}
        skipped = tok.decode(l, skip_special_tokens=True)
        if skipped != case["decoded"]:
            case["decoded_skip_special"] = skipped
        cases.append(case)
    return cases


def write_fixture(name, spec, texts, config=None, bos_id=None, eos_id=None, extra=None):
    directory = os.path.join(HERE, name)
    os.makedirs(directory, exist_ok=True)
    tok = reload(spec)
    # Written the way tokenizers writes it (pretty, 2-space indent), so the Swift parser sees
    # the real layout.
    with open(os.path.join(directory, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(spec, ensure_ascii=False, indent=2))
        f.write("\n")
    if config is not None:
        write_json(os.path.join(directory, "tokenizer_config.json"), config, indent=2)
    goldens = {"fixture": name, "tokenizers_version": tokenizers.__version__,
               "cases": golden_cases(tok, texts, bos_id, eos_id),
               "decode_cases": decode_cases(tok, spec, seed=len(name))}
    if extra:
        goldens.update(extra)
    write_json(os.path.join(directory, "goldens.json"), goldens)
    return tok


def added(content, id_, special, lstrip=False, rstrip=False, single_word=False, normalized=None):
    return {"id": id_, "content": content, "single_word": single_word, "lstrip": lstrip,
            "rstrip": rstrip, "normalized": (not special) if normalized is None else normalized,
            "special": special}


def with_added(spec, tokens):
    """Appends added tokens after the highest id, as tokenizers' add_tokens does."""
    spec = copy.deepcopy(spec)
    next_id = 1 + max(list(spec["model"]["vocab"].values())
                      + [t["id"] for t in spec["added_tokens"]])
    for token in tokens:
        content, kwargs = token[0], token[1]
        existing = spec["model"]["vocab"].get(content)
        id_ = existing if existing is not None else next_id
        if existing is None:
            next_id += 1
        spec["added_tokens"].append(added(content, id_, **kwargs))
    return spec


def byte_level(add_prefix_space=False, use_regex=False):
    return {"type": "ByteLevel", "add_prefix_space": add_prefix_space, "trim_offsets": False,
            "use_regex": use_regex}


def split(pattern, behavior, invert=False, kind="Regex"):
    return {"type": "Split", "pattern": {kind: pattern}, "behavior": behavior, "invert": invert}


def template(bos_content, bos_id):
    return {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos_content, "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos_content, "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": bos_content, "type_id": 1}},
                     {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {bos_content: {"id": bos_content, "ids": [bos_id],
                                             "tokens": [bos_content]}}}


def qwen2_pre():
    return pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_REGEX), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])


def make_main(rng_texts):
    texts = base_corpus() + rng_texts

    # Qwen2-style: NFC, Split(Qwen2 regex, Isolated), ByteLevel(use_regex false).
    qwen = json.loads(train(qwen2_pre(), normalizers.NFC(), 1000, seed=1).to_str())
    qwen["post_processor"] = byte_level()
    qwen = with_added(qwen, [("<|endoftext|>", {"special": True}),
                             ("<|im_start|>", {"special": True}),
                             ("<|im_end|>", {"special": True}),
                             ("<think>", {"special": False, "normalized": False}),
                             ("</think>", {"special": False, "normalized": False})])
    write_fixture("qwen2-style", qwen, texts + [
        "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
        " <|im_start|> spaced <|im_end|> ",
        "<|im_start|><|im_end|><|endoftext|>",
        "<think>\nLet me think.</think>\n\nThe answer is 4.",
        "no<think>space</think>around",
    ], config={"tokenizer_class": "Qwen2Tokenizer", "bos_token": None,
               "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
               "model_max_length": 32768})

    # Llama-3-style: no normalizer, Split(\p{N}{1,3}), ignore_merges, TemplateProcessing BOS.
    pre = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_REGEX), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    llama = json.loads(train(pre, None, 1000, seed=2, ignore_merges=True).to_str())
    # A vocabulary entry no merge sequence reaches: only ignore_merges can emit it whole.
    llama["model"]["vocab"][".:.:"] = 1 + max(llama["model"]["vocab"].values())
    llama = with_added(llama, [("<|begin_of_text|>", {"special": True}),
                               ("<|end_of_text|>", {"special": True}),
                               ("<|start_header_id|>", {"special": True}),
                               ("<|end_header_id|>", {"special": True}),
                               ("<|eot_id|>", {"special": True})])
    bos = next(t["id"] for t in llama["added_tokens"] if t["content"] == "<|begin_of_text|>")
    llama["post_processor"] = {"type": "Sequence", "processors": [
        byte_level(), template("<|begin_of_text|>", bos)]}
    llama_texts = texts + [
        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
        "<|begin_of_text|>already has BOS",
    ]
    no_ignore = copy.deepcopy(llama)
    no_ignore["model"]["ignore_merges"] = False
    other = reload(no_ignore)
    differing = [t for t in llama_texts
                 if other.encode(t, add_special_tokens=False).ids
                 != reload(llama).encode(t, add_special_tokens=False).ids]
    assert differing, "ignore_merges must change at least one encoding"
    write_fixture("llama3-style", llama, llama_texts,
                  config={"tokenizer_class": "PreTrainedTokenizerFast",
                          "bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
                  extra={"without_ignore_merges": [
                      {"text": t, "ids_no_special": other.encode(t, add_special_tokens=False).ids}
                      for t in differing]})

    # GPT-2 style: ByteLevel(add_prefix_space, use_regex) alone, legacy "a b" merges.
    gpt2 = json.loads(train(pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True),
                            None, 1000, seed=3).to_str())
    gpt2["model"]["merges"] = [f"{a} {b}" for a, b in gpt2["model"]["merges"]]
    gpt2["post_processor"] = byte_level(add_prefix_space=True, use_regex=True)
    gpt2 = with_added(gpt2, [("<|endoftext|>", {"special": True})])
    write_fixture("gpt2-style", gpt2, texts + ["Hello<|endoftext|>World", "<|endoftext|> x"],
                  config={"tokenizer_class": "GPT2Tokenizer", "bos_token": "<|endoftext|>",
                          "eos_token": {"content": "<|endoftext|>", "lstrip": False,
                                        "rstrip": False, "normalized": True,
                                        "single_word": False, "__type": "AddedToken"}})
    return qwen


def make_added_tokens(qwen, rng_texts):
    """Added-token options on the Qwen2-style model: lstrip, rstrip, single_word, normalized,
    special and not, R1 tokens, overlapping contents, and one that is also in the vocab."""
    in_vocab = next(w for w in ("the", "The", "an", "in") if w in qwen["model"]["vocab"])
    spec = copy.deepcopy(qwen)
    spec["added_tokens"] = []
    spec = with_added(spec, [
        (R1_BOS, {"special": True}),
        (R1_EOS, {"special": True}),
        (R1_USER, {"special": False, "normalized": False}),
        (R1_ASSISTANT, {"special": False, "normalized": False}),
        ("<think>", {"special": False, "normalized": False}),
        ("</think>", {"special": False, "normalized": False}),
        ("[L]", {"special": True, "lstrip": True}),
        ("[R]", {"special": True, "rstrip": True}),
        ("[LR]", {"special": False, "lstrip": True, "rstrip": True, "normalized": False}),
        ("magic", {"special": False, "single_word": True, "normalized": False}),
        ("<tag>", {"special": False, "normalized": False}),
        ("<tag>long", {"special": False, "normalized": False}),
        ("cafe\u0301", {"special": False, "normalized": True}),
        ("nai\u0308ve", {"special": False, "normalized": False}),
        (in_vocab, {"special": False, "normalized": False}),
    ])
    texts = [
        f"{R1_BOS}{R1_USER}What is 6*7?{R1_ASSISTANT}<think>\nSix sevens.</think>42{R1_EOS}",
        f"{R1_USER} spaced {R1_ASSISTANT}  ",
        f"<{BAR}User{BAR} almost",
        "a [L] b", "a   [L]b", "[L] start", "tab\t[L]", "a [R] b", "a[R]   b", "[R]\n\nnext",
        "x  [LR]  y", "[LR][LR]", " [LR] [LR] ", "a\u3000[LR]\u3000b",
        "magic", "a magic trick", "magical", "unmagic", "magic!", "(magic)", "_magic",
        "é magic", "e\u0301magic", "magic\u0301", "3magic", "magic magic",
        "<tag>", "<tag>long", "<tag>longer", "<tag>lon", "<<tag>>",
        "café", "cafe\u0301", "the café is open", "naïve", "nai\u0308ve", "a nai\u0308ve b",
        f"{in_vocab} other {in_vocab}s breathe",
        "[L][R][LR]magic<tag>",
    ]
    write_fixture("added-tokens", spec, texts + base_corpus()[:20] + rng_texts[:10])


def make_r1_like(qwen, rng_texts):
    """R1-Distill-Qwen-like: no BOS post-processor in tokenizer.json, but tokenizer_config.json
    says LlamaTokenizerFast with add_bos_token: true (engine-facts.md A5)."""
    spec = copy.deepcopy(qwen)
    spec["added_tokens"] = []
    spec = with_added(spec, [
        (R1_EOS, {"special": True}),
        (R1_USER, {"special": False}),
        (R1_ASSISTANT, {"special": False}),
        (R1_BOS, {"special": True}),
        ("<|EOT|>", {"special": False}),
        ("<think>", {"special": False}),
        ("</think>", {"special": False}),
    ])
    for token in spec["added_tokens"]:
        token["normalized"] = False if token["special"] else True
    spec["post_processor"] = byte_level()
    bos = next(t["id"] for t in spec["added_tokens"] if t["content"] == R1_BOS)

    def token_dict(content):
        return {"__type": "AddedToken", "content": content, "lstrip": False,
                "normalized": True, "rstrip": False, "single_word": False}

    config = {"add_bos_token": True, "add_eos_token": False,
              "bos_token": token_dict(R1_BOS), "eos_token": token_dict(R1_EOS),
              "clean_up_tokenization_spaces": False, "legacy": True,
              "model_max_length": 16384, "pad_token": token_dict(R1_EOS),
              "sp_model_kwargs": {}, "unk_token": None,
              "tokenizer_class": "LlamaTokenizerFast"}
    texts = ["Who are you?", "Hello world",
             f"{R1_BOS}{R1_USER}What is 1+1?{R1_ASSISTANT}<think>\n",
             f"{R1_USER}Hi{R1_ASSISTANT}<think>\nhmm</think>\n\nHello{R1_EOS}"]
    write_fixture("r1-distill-like", spec, texts + base_corpus()[:20] + rng_texts[:10],
                  config=config, bos_id=bos)


def make_variants(rng_texts):
    """Small models (vocab 300) whose pre-tokenizer/normalizer/model options are swapped in
    by post-editing the JSON: every Split behavior, invert, both pattern kinds, normalizer
    sequences, prefix spaces, unk handling."""
    base = json.loads(train(qwen2_pre(), None, 300, seed=4).to_str())
    texts = base_corpus()[:31] + rng_texts[:10] + [
        "How are you doing?", "the-final--countdown", "a::b:::c", "Hello Hello Hello",
        "mixed,punct;here!and?there.", "A  B   C", "x, y. z"]

    def variant(name, pre=None, norm=None, model=None):
        spec = copy.deepcopy(base)
        if pre is not None:
            spec["pre_tokenizer"] = pre
        if norm is not None:
            spec["normalizer"] = norm
        if model is not None:
            spec["model"].update(model)
        spec = with_added(spec, [("<|endoftext|>", {"special": True})])
        write_fixture("variants/" + name, spec, texts)

    def seq(*items):
        return {"type": "Sequence", "pretokenizers": list(items)}

    variant("split-removed", seq(split(r"\s+", "Removed"), byte_level()))
    variant("split-removed-invert", seq(split(r"[\p{L}\p{N}]+", "Removed", True), byte_level()))
    variant("split-isolated-string", seq(split("::", "Isolated", kind="String"), byte_level()))
    variant("split-merged-with-previous",
            seq(split(" ", "MergedWithPrevious", kind="String"), byte_level()))
    variant("split-merged-with-next", seq(split(r"\s+", "MergedWithNext"), byte_level()))
    variant("split-merged-with-next-invert",
            seq(split(r"\p{L}+", "MergedWithNext", True), byte_level()))
    variant("split-contiguous", seq(split(r"\p{P}", "Contiguous"), byte_level()))
    variant("split-contiguous-invert", seq(split(r"\p{L}+", "Contiguous", True), byte_level()))
    variant("bytelevel-prefix-space",
            seq(split(QWEN2_REGEX, "Isolated"), byte_level(add_prefix_space=True)))
    variant("bytelevel-regex-no-prefix", byte_level(add_prefix_space=False, use_regex=True))
    variant("normalizer-nfkc-nfd", norm={"type": "Sequence", "normalizers": [
        {"type": "NFKC"}, {"type": "NFD"}]})
    variant("normalizer-nfkd-nfc", norm={"type": "Sequence", "normalizers": [
        {"type": "NFKD"}, {"type": "NFC"}]})
    # No ByteLevel pre-tokenizer: BPE sees raw characters, so CJK and emoji are unknown.
    unk_id = 1 + max(base["model"]["vocab"].values())
    for fuse in (False, True):
        spec = copy.deepcopy(base)
        spec["pre_tokenizer"] = split(r"\s+", "Isolated")
        spec["model"]["vocab"]["<unk>"] = unk_id
        spec["model"]["unk_token"] = "<unk>"
        spec["model"]["fuse_unk"] = fuse
        spec = with_added(spec, [("<|endoftext|>", {"special": True})])
        write_fixture("variants/unk-" + ("fused" if fuse else "unfused"), spec, texts)


def make_large(directory):
    """A synthetic 150k-vocab Qwen2-style tokenizer.json (random merges over the byte
    alphabet), loadable by tokenizers, for load-time and throughput figures only."""
    rng = random.Random(7)
    base = json.loads(train(qwen2_pre(), normalizers.NFC(), 2000, seed=5).to_str())
    vocab = dict(base["model"]["vocab"])
    merges = [list(m) for m in base["model"]["merges"]]
    tokens = list(vocab)
    while len(vocab) < 150000:
        a = tokens[int(len(tokens) * rng.random() ** 3)]
        b = tokens[int(len(tokens) * rng.random() ** 3)]
        if len(a) + len(b) > 16 or (a + b) in vocab:
            continue
        vocab[a + b] = len(vocab)
        tokens.append(a + b)
        merges.append([a, b])
    base["model"]["vocab"] = vocab
    base["model"]["merges"] = merges
    base["post_processor"] = byte_level()
    base = with_added(base, [("<|endoftext|>", {"special": True}),
                             ("<|im_start|>", {"special": True}),
                             ("<|im_end|>", {"special": True})])
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(base, ensure_ascii=False, indent=2))
    reload(base)  # tokenizers must accept it
    text = "\n".join([ENGLISH, CJK, OTHER, EMOJI] + random_corpus(2000, seed=8))
    with open(os.path.join(directory, "sample.txt"), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", help="also write a synthetic 150k-vocab tokenizer here")
    args = parser.parse_args()
    rng_texts = random_corpus(50, seed=1234)
    qwen = make_main(rng_texts)
    make_added_tokens(qwen, rng_texts)
    make_r1_like(qwen, rng_texts)
    make_variants(rng_texts)
    if args.large:
        make_large(args.large)
    print(f"fixtures written with tokenizers {tokenizers.__version__}, "
          f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
