#!/usr/bin/env python3
"""Writes a random-weight Qwen2 checkpoint of about 125M parameters for timing load and decode.

    /work/venv/bin/python Benchmarks/make_random_checkpoint.py /tmp/ponder-125m

Shape: hidden 768, 12 layers, 12 heads / 4 KV heads (head_dim 64), FFN 2816, vocabulary 32000,
tied embeddings, stored in bf16 like published checkpoints (≈ 240 MB). No EOS id is set, so
generation always runs to --max-new-tokens. The output is not meant to be committed.
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file

H, LAYERS, HEADS, KV_HEADS, FFN, VOCAB = 768, 12, 12, 4, 2816, 32000


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ponder-125m"
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(0)
    hd = H // HEADS

    def rand(*shape, std=0.02):
        return (std * torch.randn(*shape, generator=g)).to(torch.bfloat16)

    tensors = {"model.embed_tokens.weight": rand(VOCAB, H, std=1.0), "model.norm.weight": torch.ones(H, dtype=torch.bfloat16)}
    for i in range(LAYERS):
        p = f"model.layers.{i}"
        tensors[f"{p}.input_layernorm.weight"] = torch.ones(H, dtype=torch.bfloat16)
        tensors[f"{p}.post_attention_layernorm.weight"] = torch.ones(H, dtype=torch.bfloat16)
        tensors[f"{p}.self_attn.q_proj.weight"] = rand(HEADS * hd, H)
        tensors[f"{p}.self_attn.q_proj.bias"] = rand(HEADS * hd)
        tensors[f"{p}.self_attn.k_proj.weight"] = rand(KV_HEADS * hd, H)
        tensors[f"{p}.self_attn.k_proj.bias"] = rand(KV_HEADS * hd)
        tensors[f"{p}.self_attn.v_proj.weight"] = rand(KV_HEADS * hd, H)
        tensors[f"{p}.self_attn.v_proj.bias"] = rand(KV_HEADS * hd)
        tensors[f"{p}.self_attn.o_proj.weight"] = rand(H, HEADS * hd)
        tensors[f"{p}.mlp.gate_proj.weight"] = rand(FFN, H)
        tensors[f"{p}.mlp.up_proj.weight"] = rand(FFN, H)
        tensors[f"{p}.mlp.down_proj.weight"] = rand(H, FFN)
    save_file(tensors, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    config = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": H,
              "num_hidden_layers": LAYERS, "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS,
              "intermediate_size": FFN, "vocab_size": VOCAB, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
              "rope_scaling": None, "tie_word_embeddings": True, "max_position_embeddings": 4096,
              "hidden_act": "silu", "use_sliding_window": False, "torch_dtype": "bfloat16"}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    print(f"{out}: {sum(t.numel() for t in tensors.values()):,} parameters")


if __name__ == "__main__":
    main()
