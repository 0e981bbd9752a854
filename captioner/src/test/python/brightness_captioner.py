"""Writes the external-captioner test fixture: a TorchScript model under Ying's captioner contract.

It captions a clip "A bright clip." or "A dark clip." from its mean pixel value, so a test can
tell that frames reach the model in the contract's layout and that Ying's decoding reads its
logits. Run with Debian's python3-torch (1.13) from the repository root:

    /usr/bin/python3 captioner/src/test/python/brightness_captioner.py captioner/src/test/resources/brightness-captioner
"""
import json
import os
import sys

import torch

VOCAB = ["<pad>", "<bos>", "<eos>", "<unk>", "a", "bright", "dark", "clip", "."]


class BrightnessCaptioner(torch.nn.Module):
    def __init__(self):
        super().__init__()
        # The token after each token; after "a" it depends on the pixels, and end repeats itself.
        self.register_buffer("following", torch.tensor([2, 4, 2, 2, 5, 7, 7, 8, 2], dtype=torch.long))
        self.a, self.bright, self.dark, self.vocab = 4, 5, 6, len(VOCAB)

    def forward(self, frames: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        if frames.dtype != torch.uint8 or frames.dim() != 5 or frames.size(4) != 3:
            raise ValueError("frames must be uint8 [B, T, H, W, 3]")
        bright = frames.float().mean(dim=(1, 2, 3, 4)) > 127.5
        adjective = torch.where(bright, torch.full_like(tokens[:, 0], self.bright),
                                torch.full_like(tokens[:, 0], self.dark))
        following = self.following[tokens]
        following = torch.where(tokens == self.a, adjective.unsqueeze(1).expand_as(tokens), following)
        return torch.nn.functional.one_hot(following, self.vocab).float() * 10.0


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.jit.script(BrightnessCaptioner()).save(os.path.join(out, "model.pt"))
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        json.dump({"vocab": VOCAB}, f)
    with open(os.path.join(out, "captioner.json"), "w") as f:
        json.dump({"frames": 4, "height": 32, "width": 48, "max_tokens": 12}, f)


if __name__ == "__main__":
    main(sys.argv[1])
