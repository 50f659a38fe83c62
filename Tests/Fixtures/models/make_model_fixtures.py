#!/usr/bin/env python3
"""Writes tiny random-weight Qwen2/Llama checkpoints and reference outputs from transformers.

Run by hand (never by the tests) from the repository root:

    /work/venv/bin/python Tests/Fixtures/models/make_model_fixtures.py

Each model directory gets config.json (hub form, or the transformers-5 form for one model),
safetensors weights, a tiny byte-level BPE tokenizer.json, and expected.json with:
  - prompts: three token-id lists;
  - logits: [prompt, position, values over the valid vocabulary] at a few positions;
  - greedy: a 32-token greedy continuation of prompt 1 with per-token log-probabilities
    (log-softmax over the valid vocabulary, unmodified distribution);
  - hidden: the final hidden state (after model.norm) at the last position of prompt 1;
  - inv_freq: the rotary inverse frequencies transformers uses.
References come from the fp32 model with eager attention. For bf16/f16 checkpoints the weights
are first rounded to the storage dtype and the reference is computed with those rounded
weights upcast to fp32, so the Swift engine (which upcasts at load) sees identical weights.

Weights are drawn with a larger spread than transformers' default (std 0.02 makes attention
nearly uniform and biases irrelevant), so that attention patterns, GQA mapping, RoPE and
biases all change the logits measurably.
"""
import json
import math
import os
import sys

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import AutoModelForCausalLM, LlamaConfig, Qwen2Config

HERE = os.path.dirname(os.path.abspath(__file__))

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Search or sample more? Test-time compute trades tokens for accuracy.",
    "Countdown: use 3, 7, 25 and 50 to make 329. Answer: (50 - 3) * 7 = 329.",
    "Multiply 12 by 34 and write the product: 12 * 34 = 408.",
    "A transformer reads tokens, attends to the past, and predicts the next token.",
    "Beam search keeps the best partial answers; sampling explores many at random.",
    "<think>First add the numbers, then check the result.</think><answer>42</answer>",
    "Hello world! Hello there. How are you today? I am fine, thank you.",
    "The value head estimates the chance that a partial solution will succeed.",
    "Monte Carlo tree search balances exploration and exploitation with priors.",
    "def add(a, b):\n    return a + b\n\nprint(add(2, 3))",
    "Numbers: 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 100 1000",
] * 4

QWEN_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
LLAMA_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"]
QWEN_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
LLAMA_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}<|eot_id|>"
    "{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}"
)


def train_tokenizer(vocab_size, specials, bos=None):
    """A byte-level BPE like Qwen2's and Llama 3's, trained on CORPUS."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(CORPUS, trainer)
    if bos is None:
        tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    else:
        bos_id = tokenizer.token_to_id(bos)
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, bos_id)]
        )
    return tokenizer


def randomize(model, generator, matrix_std=0.2, head_std=0.5, embed_std=1.0):
    """Larger-than-default random weights: N(0, matrix_std) matrices, N(0, embed_std)
    embeddings, N(0, 0.5) biases and N(1, 0.25) norm weights."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.25 * torch.randn(p.shape, generator=generator))
            elif name.endswith(".bias"):
                p.copy_(0.5 * torch.randn(p.shape, generator=generator))
            elif "embed_tokens" in name:
                p.copy_(embed_std * torch.randn(p.shape, generator=generator))
            elif name == "lm_head.weight":
                p.copy_(head_std * torch.randn(p.shape, generator=generator))
            else:
                p.copy_(matrix_std * torch.randn(p.shape, generator=generator))


def round_weights(model, dtype):
    """Rounds every parameter to `dtype` and back, so the reference uses the stored values."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(dtype).to(torch.float32))


def state_dict_for_saving(model, dtype):
    tensors = {}
    for name, tensor in model.state_dict().items():
        if name == "lm_head.weight" and model.config.tie_word_embeddings:
            continue  # tied: transformers does not store it either
        tensors[name] = tensor.detach().to(dtype).contiguous().clone()
    return tensors


def hub_form(config_dict):
    """Rewrites a transformers-5 config dict into the hub form published checkpoints use."""
    d = dict(config_dict)
    rope = d.pop("rope_parameters")
    d["rope_theta"] = rope["rope_theta"]
    scaling = {k: v for k, v in rope.items() if k != "rope_theta"}
    d["rope_scaling"] = None if scaling.get("rope_type", "default") == "default" else scaling
    d["torch_dtype"] = d.pop("dtype")
    d.pop("layer_types", None)
    d["transformers_version"] = "4.46.0"
    return d


def masked_log_softmax(logits, valid):
    return torch.log_softmax(logits[..., :valid].double(), dim=-1).float()


def reference_outputs(model, prompts, positions_per_prompt, valid, greedy_prompt, steps=32):
    """Logits at chosen positions, a greedy continuation with log-probs, and a final hidden state."""
    out = {"prompts": prompts, "logits": [], "valid_vocab": valid}
    with torch.no_grad():
        for index, prompt in enumerate(prompts):
            ids = torch.tensor([prompt])
            logits = model(ids).logits[0]
            for position in positions_per_prompt(len(prompt)):
                values = [float(f"{v:.8g}") for v in logits[position, :valid].tolist()]
                out["logits"].append({"prompt": index, "position": position, "values": values})
        tokens, logprobs, margins = [], [], []
        sequence = list(prompts[greedy_prompt])
        for _ in range(steps):
            logits = model(torch.tensor([sequence])).logits[0, -1]
            lp = masked_log_softmax(logits, valid)
            top2 = torch.topk(lp, 2)
            margins.append(float(top2.values[0] - top2.values[1]))
            token = int(top2.indices[0])
            tokens.append(token)
            logprobs.append(float(f"{float(lp[token]):.8g}"))
            sequence.append(token)
        hidden = model.model(torch.tensor([prompts[greedy_prompt]])).last_hidden_state[0, -1]
    out["greedy"] = {"prompt": greedy_prompt, "tokens": tokens, "logprobs": logprobs,
                     "min_margin": min(margins)}
    out["hidden"] = [float(f"{v:.8g}") for v in hidden.tolist()]
    out["inv_freq"] = [float(f"{v:.9g}") for v in model.model.rotary_emb.inv_freq.tolist()]
    return out


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def build(spec, out_dir):
    """Builds one fixture model from a spec dict; returns the reference dict."""
    os.makedirs(out_dir, exist_ok=True)
    family = spec["family"]
    specials = QWEN_SPECIALS if family == "qwen2" else LLAMA_SPECIALS
    bos = None if family == "qwen2" else LLAMA_SPECIALS[0]
    tokenizer = train_tokenizer(spec["tokenizer_vocab"], specials, bos=bos)
    valid = tokenizer.get_vocab_size()
    eos_id = tokenizer.token_to_id(specials[0] if family == "qwen2" else specials[1])
    bos_id = tokenizer.token_to_id(specials[0])
    kwargs = dict(spec["config"])
    kwargs["vocab_size"] = valid + spec.get("vocab_padding", 0)
    kwargs.setdefault("bos_token_id", bos_id)
    kwargs.setdefault("eos_token_id", eos_id)
    config_class = Qwen2Config if family == "qwen2" else LlamaConfig
    config = config_class(**kwargs)
    config._attn_implementation = "eager"
    storage = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[spec["dtype"]]

    # Retry seeds until every greedy step has a clear winner, so fp32 rounding differences
    # between engines cannot flip a token.
    for attempt in range(50):
        torch.manual_seed(spec["seed"] + attempt)
        model = AutoModelForCausalLM.from_config(config, attn_implementation="eager").float().eval()
        generator = torch.Generator().manual_seed(spec["seed"] + attempt)
        # Tied models use the embedding as the output head too; a smaller spread keeps the
        # residual stream from being dominated by the current token (greedy would just repeat it).
        randomize(model, generator, head_std=spec.get("head_std", 0.5),
                  embed_std=0.3 if config.tie_word_embeddings else 1.0)
        if config.tie_word_embeddings:
            model.tie_weights()
        round_weights(model, storage)
        prompts = [tokenizer.encode(text).ids for text in spec["prompt_texts"]]
        prompts.insert(0, [prompts[0][-1]])  # a one-token prompt exercises the single-row path
        prompts = prompts[:3]
        reference = reference_outputs(
            model, prompts, lambda n: sorted({0, n // 2, n - 1}), valid, greedy_prompt=1)
        if reference["greedy"]["min_margin"] > 2e-3:
            break
    else:
        sys.exit(f"{out_dir}: no seed gave clear greedy margins")
    reference["seed"] = spec["seed"] + attempt

    tensors = state_dict_for_saving(model, storage)
    if spec.get("shards"):
        names = sorted(tensors)
        half = len(names) // 2
        weight_map = {}
        total = 0
        for number, chunk in enumerate([names[:half], names[half:]], start=1):
            shard = f"model-{number:05d}-of-00002.safetensors"
            save_file({n: tensors[n] for n in chunk}, os.path.join(out_dir, shard), metadata={"format": "pt"})
            for n in chunk:
                weight_map[n] = shard
                total += tensors[n].numel() * tensors[n].element_size()
        write_json(os.path.join(out_dir, "model.safetensors.index.json"),
                   {"metadata": {"total_size": total}, "weight_map": weight_map})
    else:
        save_file(tensors, os.path.join(out_dir, "model.safetensors"), metadata={"format": "pt"})

    config_dict = config.to_dict()
    config_dict["architectures"] = ["Qwen2ForCausalLM" if family == "qwen2" else "LlamaForCausalLM"]
    config_dict["dtype"] = spec["dtype"]
    for junk in ["_attn_implementation_autoset", "id2label", "label2id", "output_hidden_states", "return_dict",
                 "chunk_size_feed_forward", "is_encoder_decoder", "problem_type", "output_attentions",
                 "_name_or_path"]:
        config_dict.pop(junk, None)  # PretrainedConfig bookkeeping that hub configs do not carry
    if spec.get("config_form", "hub") == "hub":
        config_dict = hub_form(config_dict)
    write_json(os.path.join(out_dir, "config.json"), config_dict)
    if "generation_config" in spec:
        write_json(os.path.join(out_dir, "generation_config.json"), spec["generation_config"](tokenizer))

    tokenizer.save(os.path.join(out_dir, "tokenizer.json"))
    write_json(os.path.join(out_dir, "tokenizer_config.json"), {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": bos,
        "eos_token": specials[0] if family == "qwen2" else specials[2],
        "chat_template": QWEN_TEMPLATE if family == "qwen2" else LLAMA_TEMPLATE,
    })
    write_json(os.path.join(out_dir, "expected.json"), reference)
    return reference


PROMPTS = [
    "Hello world! How are you today?",
    "Countdown: use 3, 7, 25 and 50 to make 329. Answer: (50 - 3) * 7 = 329.",
]

FIXTURES = {
    # (a) Qwen2, GQA 4 query heads / 2 KV heads, q/k/v bias, fp32, untied, generation_config.
    "qwen2-gqa-bias": dict(
        family="qwen2", seed=1, dtype="float32", tokenizer_vocab=300, prompt_texts=PROMPTS,
        config=dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                    intermediate_size=64, rms_norm_eps=1e-6, max_position_embeddings=256,
                    tie_word_embeddings=False, rope_parameters={"rope_type": "default", "rope_theta": 10000.0}),
        generation_config=lambda t: {"bos_token_id": t.token_to_id("<|endoftext|>"),
                                     "eos_token_id": [t.token_to_id("<|endoftext|>"), t.token_to_id("<|im_end|>")],
                                     "do_sample": False, "transformers_version": "4.46.0"},
    ),
    # (b) Llama with llama3 rope scaling whose bands all fall inside a 32-token context,
    #     explicit head_dim (q width 64 ≠ hidden 32), tied embeddings, fp32.
    "llama-rope-llama3": dict(
        family="llama", seed=2, dtype="float32", tokenizer_vocab=300, prompt_texts=PROMPTS,
        config=dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                    head_dim=16, intermediate_size=64, rms_norm_eps=1e-5, max_position_embeddings=256,
                    tie_word_embeddings=True,
                    rope_parameters={"rope_type": "llama3", "rope_theta": 10000.0, "factor": 4.0,
                                     "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                     "original_max_position_embeddings": 32}),
    ),
    # (c) Qwen2 stored in bf16, tied, 6 heads / 2 KV heads, config vocab_size padded past the
    #     tokenizer (like R1-Distill), generation_config with an EOS list and sampling defaults.
    "qwen2-tied-bf16": dict(
        family="qwen2", seed=3, dtype="bfloat16", tokenizer_vocab=300, vocab_padding=20, prompt_texts=PROMPTS,
        config=dict(hidden_size=48, num_hidden_layers=2, num_attention_heads=6, num_key_value_heads=2,
                    intermediate_size=96, rms_norm_eps=1e-6, max_position_embeddings=256,
                    tie_word_embeddings=True, rope_parameters={"rope_type": "default", "rope_theta": 1000000.0}),
        generation_config=lambda t: {"bos_token_id": t.token_to_id("<|im_start|>"),
                                     "eos_token_id": [t.token_to_id("<|endoftext|>"), t.token_to_id("<|im_end|>")],
                                     "do_sample": True, "temperature": 0.6, "top_p": 0.95,
                                     "transformers_version": "4.46.0"},
    ),
    # (d) Llama split into two f16 shards with an index, MQA (1 KV head), linear rope scaling,
    #     config.json left in the transformers-5 form (rope_parameters, dtype).
    "llama-sharded": dict(
        family="llama", seed=4, dtype="float16", tokenizer_vocab=300, prompt_texts=PROMPTS, shards=2,
        config_form="v5",
        config=dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=1,
                    intermediate_size=64, rms_norm_eps=1e-5, max_position_embeddings=256,
                    tie_word_embeddings=False,
                    rope_parameters={"rope_type": "linear", "rope_theta": 10000.0, "factor": 2.0}),
    ),
}


def main():
    torch.set_num_threads(1)
    only = sys.argv[1:]
    for name, spec in FIXTURES.items():
        if only and name not in only:
            continue
        reference = build(spec, os.path.join(HERE, name))
        print(f"{name}: seed {reference['seed']}, valid vocab {reference['valid_vocab']}, "
              f"greedy min margin {reference['greedy']['min_margin']:.4f}")


if __name__ == "__main__":
    main()
