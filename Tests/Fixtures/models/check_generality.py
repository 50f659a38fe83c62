#!/usr/bin/env python3
"""Checks the engine on random model shapes the committed fixtures never show it.

Builds COUNT random Qwen2/Llama checkpoints (sizes, head counts, GQA groups, explicit head_dim,
layers, dtypes, tied or not, rope types and parameters, Llama biases, sharding, both config
forms) in a temporary directory with transformers, then runs the built `ponder` binary on each
and compares its greedy continuation with transformers' (tokens exactly; per-token
log-probabilities against a float64 run of the same weights, within max(1e-4, 2 × the fp32
reference's own error), since wider random models accumulate fp32 rounding of ~5e-5 even in
PyTorch), and `ponder inspect`'s parameter count with torch's. Run by hand:

    swift build
    /work/venv/bin/python Tests/Fixtures/models/check_generality.py [--ponder .build/debug/ponder] [--count 12] [--seed 0]

Exits non-zero if any model disagrees. Nothing is written to the repository.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

import torch
from transformers import AutoModelForCausalLM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_model_fixtures as fixtures  # noqa: E402


def random_spec(rng, index):
    family = rng.choice(["qwen2", "llama"])
    kv_heads = rng.choice([1, 2, 3, 4])
    heads = kv_heads * rng.choice([1, 2, 3])
    head_dim = rng.choice([4, 8, 12, 16, 24])
    config = dict(num_hidden_layers=rng.randint(1, 4), num_attention_heads=heads, num_key_value_heads=kv_heads,
                  intermediate_size=rng.choice([20, 40, 72, 100]), rms_norm_eps=rng.choice([1e-6, 1e-5]),
                  max_position_embeddings=rng.choice([128, 512]), tie_word_embeddings=rng.random() < 0.5)
    theta = rng.choice([100.0, 10000.0, 500000.0, 1000000.0])
    if family == "llama" and rng.random() < 0.5:
        # transformers still wants hidden divisible by heads; head_dim differs from the quotient.
        config["head_dim"] = head_dim
        config["hidden_size"] = heads * rng.choice([d for d in [2, 6, 10, 20] if d != head_dim])
    else:
        config["hidden_size"] = heads * head_dim
    rope = {"rope_type": "default", "rope_theta": theta}
    if family == "llama":
        config["attention_bias"] = rng.random() < 0.4
        config["mlp_bias"] = rng.random() < 0.4
        kind = rng.choice(["default", "linear", "llama3"])
        if kind == "linear":
            rope = {"rope_type": "linear", "rope_theta": theta, "factor": rng.choice([1.5, 2.0, 8.0])}
        elif kind == "llama3":
            low = rng.choice([0.5, 1.0, 2.0])
            rope = {"rope_type": "llama3", "rope_theta": theta, "factor": rng.choice([2.0, 8.0, 32.0]),
                    "low_freq_factor": low, "high_freq_factor": low * rng.choice([2.0, 4.0, 8.0]),
                    "original_max_position_embeddings": rng.choice([16, 64, 256])}
    config["rope_parameters"] = rope
    return dict(family=family, seed=1000 + index, dtype=rng.choice(["float32", "bfloat16", "float16"]),
                tokenizer_vocab=rng.choice([270, 300, 350]), prompt_texts=fixtures.PROMPTS, config=config,
                shards=rng.random() < 0.3, config_form=rng.choice(["hub", "v5"]))


def run(command):
    return subprocess.run(command, capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ponder", default=".build/debug/ponder")
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures = 0
    with tempfile.TemporaryDirectory() as root:
        for index in range(args.count):
            spec = random_spec(rng, index)
            directory = os.path.join(root, f"model-{index}")
            reference = fixtures.build(spec, directory)
            prompt = reference["prompts"][1]
            result = run([args.ponder, "generate", "--model", directory, "--prompt-tokens", ",".join(map(str, prompt)),
                          "--max-new-tokens", "32", "--temperature", "0", "--json"])
            c = spec["config"]
            shape = (f"{spec['family']:5} {spec['dtype']:8} L{c['num_hidden_layers']} H{c['hidden_size']} "
                     f"heads {c['num_attention_heads']}/{c['num_key_value_heads']} hd {c.get('head_dim', '-')} "
                     f"rope {c['rope_parameters']['rope_type']:7} tied {int(c['tie_word_embeddings'])} "
                     f"bias {int(c.get('attention_bias', False))}{int(c.get('mlp_bias', False))} "
                     f"shards {int(bool(spec['shards']))} {spec['config_form']}")
            if result.returncode != 0:
                print(f"FAIL {shape}: ponder exited {result.returncode}: {result.stderr.strip()}")
                failures += 1
                continue
            output = json.loads(result.stdout)
            tokens = output["tokens"]
            expected = reference["greedy"]["tokens"][:len(tokens)]
            exact = float64_logprobs(directory, prompt, reference["greedy"]["tokens"], reference["valid_vocab"])
            worst = max((abs(a - b) for a, b in zip(output["logprobs"], exact)), default=0)
            reference_error = max(abs(a - b) for a, b in zip(reference["greedy"]["logprobs"], exact))
            tolerance = max(1e-4, 2 * reference_error)
            # Generation may stop early at an EOS id; everything up to there must match.
            ok = tokens == expected and worst < tolerance and (output["stop_reason"] == "eos" or len(tokens) == 32)
            inspect = run([args.ponder, "inspect", directory, "--json"])
            parameters = json.loads(inspect.stdout)["parameterCount"] if inspect.returncode == 0 else None
            torch_parameters = reference_parameter_count(spec, reference)
            ok = ok and parameters == torch_parameters
            failures += 0 if ok else 1
            print(f"{'ok  ' if ok else 'FAIL'} {shape}: {len(tokens)} tokens, max |Δ logprob| {worst:.1e} "
                  f"(torch fp32 {reference_error:.1e}), "
                  f"params {parameters} vs {torch_parameters}")
    print(f"{args.count - failures}/{args.count} models agree")
    sys.exit(1 if failures else 0)


def float64_logprobs(directory, prompt, tokens, valid):
    """Log-probabilities of the greedy tokens from the same weights run in float64."""
    model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float64, attn_implementation="eager").eval()
    with torch.no_grad():
        logits = model(torch.tensor([prompt + tokens[:-1]])).logits[0, :, :valid]
    logprobs = torch.log_softmax(logits, dim=-1)
    return [float(logprobs[len(prompt) - 1 + i, t]) for i, t in enumerate(tokens)]


def reference_parameter_count(spec, reference):
    c = spec["config"]
    h, layers, inter = c["hidden_size"], c["num_hidden_layers"], c["intermediate_size"]
    hd = c.get("head_dim", h // c["num_attention_heads"])
    q, kv = c["num_attention_heads"] * hd, c["num_key_value_heads"] * hd
    vocab = reference["valid_vocab"]
    attention_bias = spec["family"] == "qwen2" or c.get("attention_bias", False)
    per_layer = 2 * h + h * q + 2 * h * kv + q * h + 3 * h * inter
    if spec["family"] == "qwen2":
        per_layer += q + 2 * kv
    elif attention_bias:
        per_layer += q + 2 * kv + h
    if c.get("mlp_bias", False):
        per_layer += 2 * inter + h
    return vocab * h + layers * per_layer + h + (0 if c["tie_word_embeddings"] else vocab * h)


if __name__ == "__main__":
    main()
