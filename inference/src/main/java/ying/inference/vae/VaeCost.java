package ying.inference.vae;

/**
 * Multiply-accumulates of the VAE's convolutions for one clip, counted from the config the way the
 * encoder and decoder are built. The convolutions are nearly all of the work (norms, activations
 * and resampling are a few percent), so this is what benchmarks divide time by to get GFLOP/s.
 */
public final class VaeCost {
  private long macs;
  private long weights;

  private VaeCost() {}

  /** The encoder's convolution MACs for a clip of {@code frames x height x width}. */
  public static long encoderMacs(VaeConfig c, int frames, int height, int width) {
    return encoder(c, frames, height, width).macs;
  }

  /** The decoder's convolution MACs for the latents of a clip of {@code frames x height x width}. */
  public static long decoderMacs(VaeConfig c, int frames, int height, int width) {
    int f = c.spatialFactor();
    return decoder(c, c.latentFrames(frames), height / f, width / f).macs;
  }

  /** Weights of every convolution kernel (not biases or norms), encoder and decoder. */
  static long convolutionWeights(VaeConfig c) {
    return encoder(c, 1, c.spatialFactor(), c.spatialFactor()).weights
        + decoder(c, 1, 1, 1).weights;
  }

  private static VaeCost encoder(VaeConfig c, int t, int h, int w) {
    c.latentFrames(t);
    VaeCost cost = new VaeCost();
    int k = c.kernel();
    int width = c.baseChannels();
    cost.conv(c.imageChannels(), width, k, t, h, w);
    for (int level = 0; level < c.levelChannels().size(); level++) {
      int out = c.levelChannels().get(level);
      for (int r = 0; r < c.resBlocksPerLevel(); r++) {
        cost.resBlock(width, out, k, t, h, w);
        width = out;
      }
      if (c.temporalDownsample().get(level)) {
        t = 1 + (t - 1) / 2;
      }
      h /= 2;
      w /= 2;
      cost.conv(width, width, k, t, h, w);
    }
    cost.resBlock(width, width, k, t, h, w);
    cost.conv(width, 2 * c.latentChannels(), k, t, h, w);
    return cost;
  }

  private static VaeCost decoder(VaeConfig c, int t, int h, int w) {
    VaeCost cost = new VaeCost();
    int k = c.kernel();
    int width = c.levelChannels().get(c.levelChannels().size() - 1);
    cost.conv(c.latentChannels(), width, k, t, h, w);
    cost.resBlock(width, width, k, t, h, w);
    for (int level = c.levelChannels().size() - 1; level >= 0; level--) {
      int out = c.levelChannels().get(level);
      for (int r = 0; r < c.resBlocksPerLevel(); r++) {
        cost.resBlock(width, out, k, t, h, w);
        width = out;
      }
      if (c.temporalDownsample().get(level)) {
        t = 2 * t - 1;
      }
      h *= 2;
      w *= 2;
      cost.conv(width, width, k, t, h, w);
    }
    cost.conv(width, c.imageChannels(), k, t, h, w);
    return cost;
  }

  private void resBlock(int in, int out, int k, int t, int h, int w) {
    conv(in, out, k, t, h, w);
    conv(out, out, k, t, h, w);
    if (in != out) {
      conv(in, out, 1, t, h, w);
    }
  }

  /** A k x k x k convolution producing {@code out x t x h x w} from {@code in} channels. */
  private void conv(int in, int out, int k, int t, int h, int w) {
    long kernel = (long) in * k * k * k;
    macs += kernel * out * t * h * w;
    weights += kernel * out;
  }
}
