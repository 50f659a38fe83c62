#!/usr/bin/env python3
"""Writes a random-weight Qwen2 checkpoint (about 125M or 30M parameters) for benchmarks.

    /work/venv/bin/python Benchmarks/make_random_checkpoint.py /tmp/ponder-125m [125m|30m] [bf16|f32]

125m: hidden 768, 12 layers, 12 heads / 4 KV heads (head_dim 64), FFN 2816, vocabulary 32000,
tied embeddings. 30m: hidden 384, 8 layers, 6 heads / 2 KV heads, FFN 1536, vocabulary 32000.
Stored in bf16 like published checkpoints by default (125m: ≈ 240 MB; f32 ≈ 485 MB). No EOS id is
set, so generation always runs to --max-new-tokens. The output is not meant to be committed.
`ponder bench` writes the same shapes from Swift (RandomCheckpoint) when given no --model.
Used with torch 2.13.0+cpu and safetensors 0.8.0.
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file

SHAPES = {"125m": (768, 12, 12, 4, 2816, 32000), "30m": (384, 8, 6, 2, 1536, 32000)}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ponder-125m"
    shape = sys.argv[2] if len(sys.argv) > 2 else "125m"
    dtype = {"bf16": torch.bfloat16, "f32": torch.float32}[sys.argv[3] if len(sys.argv) > 3 else "bf16"]
    H, LAYERS, HEADS, KV_HEADS, FFN, VOCAB = SHAPES[shape]
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(0)
    hd = H // HEADS

    def rand(*shape, std=0.02):
        return (std * torch.randn(*shape, generator=g)).to(dtype)

    tensors = {"model.embed_tokens.weight": rand(VOCAB, H, std=1.0), "model.norm.weight": torch.ones(H, dtype=dtype)}
    for i in range(LAYERS):
        p = f"model.layers.{i}"
        tensors[f"{p}.input_layernorm.weight"] = torch.ones(H, dtype=dtype)
        tensors[f"{p}.post_attention_layernorm.weight"] = torch.ones(H, dtype=dtype)
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
              "hidden_act": "silu", "use_sliding_window": False,
              "torch_dtype": "bfloat16" if dtype == torch.bfloat16 else "float32"}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    print(f"{out}: {sum(t.numel() for t in tensors.values()):,} parameters")


if __name__ == "__main__":
    main()
