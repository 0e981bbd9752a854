package ying.inference.dit;

import ai.djl.ndarray.NDArray;

/** Latents to patch tokens and back: {@code [B, C, T, h, w]} to {@code [B, T*(h/p)*(w/p), p*p*C]}, (t, y, x) order. */
final class Patches {
  private Patches() {}

  static NDArray toTokens(NDArray latents, int p) {
    long[] s = latents.getShape().getShape();
    long b = s[0];
    long c = s[1];
    long t = s[2];
    long h = s[3];
    long w = s[4];
    if (h % p != 0 || w % p != 0) {
      throw new IllegalArgumentException("latents of " + h + "x" + w + " do not split into " + p + "x" + p + " patches");
    }
    return latents.reshape(b, c, t, h / p, p, w / p, p) // [B, C, T, gh, p, gw, p]
        .transpose(0, 2, 3, 5, 4, 6, 1) // [B, T, gh, gw, p, p, C]
        .reshape(b, t * (h / p) * (w / p), (long) p * p * c);
  }

  static NDArray fromTokens(NDArray tokens, int channels, int t, int gh, int gw, int p) {
    long b = tokens.getShape().get(0);
    return tokens.reshape(b, t, gh, gw, p, p, channels) // [B, T, gh, gw, p, p, C]
        .transpose(0, 6, 1, 2, 4, 3, 5) // [B, C, T, gh, p, gw, p]
        .reshape(b, channels, t, (long) gh * p, (long) gw * p);
  }
}
