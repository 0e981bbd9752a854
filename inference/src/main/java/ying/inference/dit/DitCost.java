package ying.inference.dit;

/**
 * Multiply-accumulates of one DiT forward pass for one clip, counted from the config: the dense
 * layers and attention products, which dominate (norms, activations, rotary and modulation vectors
 * are left out). Captions are padded to {@code textTokens}, so the text always costs its full length.
 */
public final class DitCost {
  private DitCost() {}

  /** A transformer layer over {@code tokens} tokens of width {@code d}: QKV and out (4d^2), MLP (8d^2), attention (2Ld). */
  static long layerMacs(long tokens, long d) {
    return 12 * tokens * d * d + 2 * tokens * tokens * d;
  }

  /** One forward pass over latents of {@code frames x height x width} latent cells. */
  public static long forwardMacs(DitConfig c, int frames, int height, int width) {
    long p = c.patch();
    long video = frames * (height / p) * (width / p);
    long text = c.textTokens();
    long d = c.dim();
    long patches = video * (c.inputChannels() * p * p) * d + video * d * (c.latentChannels() * p * p);
    return c.layers() * layerMacs(video + text, d) + c.textLayers() * layerMacs(text, d) + patches;
  }
}
