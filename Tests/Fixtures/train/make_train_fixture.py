#!/usr/bin/env python3
"""PyTorch reference for Ponder's trainer: loss, per-tensor gradient norms and AdamW steps.

Run by hand (never by the tests) from the repository root:

    /work/venv/bin/python Tests/Fixtures/train/make_train_fixture.py

For three of the tiny model fixtures in Tests/Fixtures/models (Qwen2 with GQA and q/k/v
biases, untied; Llama with head_dim != hidden/heads, llama3 RoPE, tied; Qwen2 stored in bf16,
tied, with a padded vocabulary) it builds a batch of three sequences of different lengths
with loss masks (prompt tokens excluded), and records in train_reference.json:

  - sequences: token ids and loss masks;
  - loss: the mean next-token cross-entropy over masked targets (over the config's full
    vocab_size, as transformers computes it);
  - grad_norms: the L2 norm of every parameter's gradient, by checkpoint name (a tied
    lm_head is the embedding's tensor and is not listed separately);
  - grad_samples: a few individual gradient entries per tensor (flat index -> value);
  - adamw: three AdamW steps on the same batch (decay on matrices and embeddings only,
    gradient clipping by global norm at half the first step's norm, given learning rates):
    per step the loss and the pre-clip global gradient norm, and at the end the L2 norm of
    every tensor's total change.

Everything runs in float32 with eager attention (bf16 weights are upcast exactly at load).
The script is deterministic; rerunning it rewrites the same file.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "models")
NAMES = ["qwen2-gqa-bias", "llama-rope-llama3", "qwen2-tied-bf16"]
LENGTHS = [(9, 3), (14, 5), (6, 2)]  # (tokens, prompt tokens not in the loss)
LEARNING_RATES = [1e-3, 2e-3, 1.5e-3]
ADAMW = dict(betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)


def make_sequences(valid_vocab, seed):
    generator = torch.Generator().manual_seed(seed)
    sequences = []
    for length, prompt in LENGTHS:
        tokens = torch.randint(0, valid_vocab, (length,), generator=generator).tolist()
        mask = [i >= prompt for i in range(length)]
        sequences.append({"tokens": tokens, "loss_mask": mask})
    return sequences


def batch_loss(model, sequences):
    """Mean cross-entropy over every masked target of every sequence."""
    total, count = 0.0, 0
    for sequence in sequences:
        ids = torch.tensor([sequence["tokens"]])
        logits = model(input_ids=ids).logits[0]  # [n, vocab]
        targets = torch.tensor(sequence["tokens"][1:])
        keep = torch.tensor(sequence["loss_mask"][1:])
        losses = F.cross_entropy(logits[:-1].float(), targets, reduction="none")
        total = total + losses[keep].sum()
        count += int(keep.sum())
    return total / count


def main():
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    result = {"versions": {"torch": torch.__version__, "transformers": __import__("transformers").__version__},
              "learning_rates": LEARNING_RATES, "adamw": ADAMW, "models": {}}
    for index, name in enumerate(NAMES):
        directory = os.path.join(MODELS, name)
        model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32, attn_implementation="eager")
        model.train()
        expected = json.load(open(os.path.join(directory, "expected.json")))
        sequences = make_sequences(expected["valid_vocab"], seed=100 + index)

        named = dict(model.named_parameters())  # a tied lm_head is deduplicated away
        loss = batch_loss(model, sequences)
        loss.backward()
        grad_norms = {k: p.grad.norm().item() for k, p in named.items()}
        samples = {}
        generator = torch.Generator().manual_seed(7 + index)
        for k, p in named.items():
            flat = p.grad.flatten()
            picks = torch.randint(0, flat.numel(), (3,), generator=generator).tolist()
            samples[k] = {str(i): flat[i].item() for i in picks}
        model.zero_grad()

        # AdamW: decay on matrices and embeddings (dim ≥ 2), none on norms and biases.
        initial = {k: p.detach().clone() for k, p in named.items()}
        decay = [p for p in named.values() if p.dim() >= 2]
        no_decay = [p for p in named.values() if p.dim() < 2]
        optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": ADAMW["weight_decay"]},
                                       {"params": no_decay, "weight_decay": 0.0}],
                                      lr=LEARNING_RATES[0], betas=ADAMW["betas"], eps=ADAMW["eps"], foreach=False)
        steps, max_norm = [], None
        for lr in LEARNING_RATES:
            optimizer.zero_grad()
            step_loss = batch_loss(model, sequences)
            step_loss.backward()
            if max_norm is None:
                max_norm = 0.5 * torch.sqrt(sum((p.grad.double() ** 2).sum() for p in named.values())).item()
            norm = torch.nn.utils.clip_grad_norm_(list(named.values()), max_norm)
            for group in optimizer.param_groups:
                group["lr"] = lr
            optimizer.step()
            steps.append({"loss": step_loss.item(), "grad_norm": norm.item()})
        changes = {k: (p.detach() - initial[k]).norm().item() for k, p in named.items()}

        result["models"][name] = {
            "sequences": sequences, "loss": loss.item(), "grad_norms": grad_norms, "grad_samples": samples,
            "adamw": {"max_norm": max_norm, "steps": steps, "change_norms": changes},
        }
        print(f"{name}: loss {loss.item():.6f}, {len(grad_norms)} tensors, final loss {steps[-1]['loss']:.6f}")
    with open(os.path.join(HERE, "train_reference.json"), "w") as handle:
        json.dump(result, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    sys.exit(main())
