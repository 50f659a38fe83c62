#!/usr/bin/env python3
"""Checks that a checkpoint written by `ponder train sft` loads in transformers and gives the
same tokens and logits there as in Ponder.

Run by hand from the repository root after building ponder:

    /work/venv/bin/python Tests/Fixtures/train/check_hf_load.py [--model models/countdown-tiny] \
        [--ponder .build/release/ponder]

For a few held-out-style Countdown prompts it checks that
  1. AutoTokenizer (transformers rebuilds Qwen2 tokenizers) and `ponder tokenize` give the
     same ids, BOS included;
  2. AutoModelForCausalLM loads config.json + model.safetensors with no missing or unexpected
     tensors;
  3. for a greedy and a sampled (temperature 1) continuation produced by `ponder generate`,
     transformers' log-softmax at every position gives the log-probability Ponder reported
     for the token it chose (within 1e-4), and greedy decoding in transformers picks the same
     tokens.
Exit status 0 when everything agrees.
"""
import argparse
import json
import subprocess
import sys

import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM, AutoTokenizer

PROMPTS = [
    "3 5 7 2 -> 24\n<think>\n",
    "96 3 41 -> 73\n<think>\n",
    "12 40 8 -> 61\n<think>\n",
    "25 50 75 100 -> 33\n<think>\n",
]
TOLERANCE = 1e-4


def ponder(args, *command):
    result = subprocess.run([args.ponder, *command], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"ponder {' '.join(command)} failed: {result.stderr.strip()}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="models/countdown-tiny")
    parser.add_argument("--ponder", default=".build/release/ponder")
    parser.add_argument("--max-new-tokens", type=int, default=48)
    args = parser.parse_args()

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model, info = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32, output_loading_info=True)
    model.eval()
    problems = [k for k in ("missing_keys", "unexpected_keys", "mismatched_keys") if info.get(k)]
    if problems:
        sys.exit(f"transformers reported {[(k, info[k]) for k in problems]}")
    eos = model.generation_config.eos_token_id
    worst, failures = 0.0, 0
    for prompt in PROMPTS:
        ids = tokenizer(prompt).input_ids
        ours = json.loads(ponder(args, "tokenize", "--model", args.model, "--text", prompt, "--json"))["ids"]
        if ids != ours:
            print(f"FAIL tokenizer: {prompt!r}: transformers {ids} ponder {ours}")
            failures += 1
            continue
        for temperature in ("0", "1"):
            out = json.loads(ponder(args, "generate", "--model", args.model, "--prompt-tokens", ",".join(map(str, ids)),
                                    "--max-new-tokens", str(args.max_new_tokens), "--temperature", temperature,
                                    "--seed", "7", "--json"))
            full = ids + out["tokens"]
            with torch.no_grad():
                logits = model(torch.tensor([full])).logits[0]
            logprobs = F.log_softmax(logits.double(), dim=-1)
            for step, (token, reported) in enumerate(zip(out["tokens"], out["logprobs"])):
                row = logprobs[len(ids) + step - 1]
                worst = max(worst, abs(row[token].item() - reported))
                if temperature == "0" and int(row.argmax()) != token:
                    print(f"FAIL greedy token {step} of {prompt!r}: ponder {token}, transformers {int(row.argmax())}")
                    failures += 1
            if temperature == "0":
                with torch.no_grad():
                    generated = model.generate(torch.tensor([ids]), max_new_tokens=args.max_new_tokens, do_sample=False,
                                               eos_token_id=eos, pad_token_id=eos)[0, len(ids):].tolist()
                if generated != out["tokens"]:
                    print(f"FAIL greedy continuation of {prompt!r}: transformers {generated}, ponder {out['tokens']}")
                    failures += 1
                text = tokenizer.decode(out["tokens"], skip_special_tokens=True)
                print(f"{prompt!r} -> {text!r}")
    print(f"largest |log p(transformers) - log p(ponder)| = {worst:.2e} (tolerance {TOLERANCE:g})")
    if worst > TOLERANCE:
        failures += 1
    print("OK: transformers and Ponder agree" if failures == 0 else f"{failures} failure(s)")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
