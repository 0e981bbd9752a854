package ying.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;
import ying.core.djl.Weights;

/**
 * Space-to-depth in front of the {@link ConvStem}: each {@code f x f} block of pixels becomes
 * {@code 3 f^2} channels of one position, so a captioner can read frames {@code f} times larger at
 * the same token count and nearly the same cost. Small objects' shapes are the captioner's weakest
 * row at 96x64, where a small square and a small circle differ in a few pixels.
 */
public final class PixelFold {
  private PixelFold() {}

  /** {@code [N, H, W, 3]} to {@code [N, 3 f^2, H/f, W/f]}, channels ordered (colour, row in block, column in block). */
  static NDArray fold(NDArray x, int f) {
    long n = x.getShape().get(0);
    long h = x.getShape().get(1);
    long w = x.getShape().get(2);
    return x.reshape(n, h / f, f, w / f, f, 3).transpose(0, 5, 2, 4, 1, 3).reshape(n, 3L * f * f, h / f, w / f);
  }

  /**
   * A captioner that reads frames {@code f} times larger and, before any training, captions them
   * exactly as {@code base} captions their {@code f x f} area averages: every weight is {@code
   * base}'s, and the stem's first convolution spreads each colour's kernel over that colour's
   * {@code f^2} folded channels, divided by {@code f^2}. Fine-tuning then lets that convolution tell
   * the pixels of a block apart.
   */
  public static CaptionerModel warmStart(CaptionerModel base, int f) {
    CaptionerConfig b = base.config();
    if (b.pixelFold() != 1 || b.stemChannels() == 0) {
      throw new IllegalArgumentException("a warm start needs an unfolded captioner with a stem, not " + b);
    }
    CaptionerConfig folded = new CaptionerConfig(b.frames(), b.height() * f, b.width() * f, b.tubeletFrames(),
        b.patch() * f, b.dim(), b.heads(), b.encoderLayers(), b.decoderLayers(), b.maxTokens(), b.vocabSize(),
        b.stemChannels(), f);
    CaptionerModel out = CaptionerModel.create(folded, base.tokenizer());
    Map<String, Parameter> from = Map.copyOf(base.network().getParameters().toMap());
    int spread = 0;
    for (var entry : out.network().getParameters().toMap().entrySet()) {
      NDArray weights = from.get(entry.getKey()).getArray();
      Shape want = entry.getValue().getArray().getShape();
      if (!weights.getShape().equals(want)) {
        // Only the stem's first kernel reads pixels: [C, 3, k, k] -> [C, 3, f^2, k, k] -> [C, 3 f^2, k, k].
        long[] s = weights.getShape().getShape();
        if (s.length != 4 || !want.equals(new Shape(s[0], s[1] * f * f, s[2], s[3])) || spread++ > 0) {
          throw new IllegalStateException(entry.getKey() + " is " + weights.getShape() + " unfolded and " + want
              + " folded; only the stem's first kernel may differ");
        }
        weights = weights.expandDims(2).repeat(2, (long) f * f).div((float) f * f).reshape(want);
      }
      Weights.replace(entry.getValue(), weights);
    }
    return out;
  }
}
