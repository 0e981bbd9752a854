package ying.captioner.model;

/**
 * Brings packed RGB frames to a captioner's frame size when the two differ by a whole factor in
 * both directions: larger frames are averaged over blocks, smaller ones repeat each pixel over a
 * block. A pixel-folded captioner reads a 2x2 block as its base model reads the block's average,
 * so it reads repeated pixels exactly as the base reads the small frame; where eval-vae judges
 * 96x64 clips with a 192x128 captioner, that is the reading it gets.
 */
public final class FrameFit {
  private FrameFit() {}

  /** Whether {@code h x w} frames can be fitted to {@code toH x toW} ones. */
  public static boolean fits(int h, int w, int toH, int toW) {
    return wholeFactor(h, w, toH, toW) || wholeFactor(toH, toW, h, w);
  }

  /** {@code count} frames of {@code h x w}, packed, as {@code toH x toW} frames; the same array when sizes agree. */
  public static byte[] fit(byte[] frames, int count, int h, int w, int toH, int toW) {
    if (h == toH && w == toW) {
      return frames;
    }
    if (wholeFactor(toH, toW, h, w)) {
      return repeat(frames, count, h, w, toH / h);
    }
    if (wholeFactor(h, w, toH, toW)) {
      return average(frames, count, h, w, h / toH);
    }
    throw new IllegalArgumentException(w + "x" + h + " frames cannot be fitted to " + toW + "x" + toH
        + ": the sizes must differ by one whole factor in both directions");
  }

  /** {@code big} is {@code small} times one whole factor in both directions. */
  private static boolean wholeFactor(int bigH, int bigW, int smallH, int smallW) {
    return smallH > 0 && smallW > 0 && bigH % smallH == 0 && bigW % smallW == 0 && bigH / smallH == bigW / smallW;
  }

  private static byte[] repeat(byte[] frames, int count, int h, int w, int f) {
    int ow = w * f;
    byte[] out = new byte[count * h * f * ow * 3];
    for (int n = 0; n < count; n++) {
      for (int y = 0; y < h * f; y++) {
        int src = ((n * h + y / f) * w) * 3;
        int dst = ((n * h * f + y) * ow) * 3;
        for (int x = 0; x < ow; x++) {
          int s = src + (x / f) * 3;
          out[dst++] = frames[s];
          out[dst++] = frames[s + 1];
          out[dst++] = frames[s + 2];
        }
      }
    }
    return out;
  }

  private static byte[] average(byte[] frames, int count, int h, int w, int f) {
    int oh = h / f;
    int ow = w / f;
    int block = f * f;
    byte[] out = new byte[count * oh * ow * 3];
    int[] sums = new int[ow * 3];
    for (int n = 0; n < count; n++) {
      for (int y = 0; y < oh; y++) {
        java.util.Arrays.fill(sums, 0);
        for (int dy = 0; dy < f; dy++) {
          int row = ((n * h + y * f + dy) * w) * 3;
          for (int x = 0; x < w; x++) {
            int s = row + x * 3;
            int d = (x / f) * 3;
            sums[d] += frames[s] & 0xff;
            sums[d + 1] += frames[s + 1] & 0xff;
            sums[d + 2] += frames[s + 2] & 0xff;
          }
        }
        int dst = ((n * oh + y) * ow) * 3;
        for (int i = 0; i < ow * 3; i++) {
          out[dst + i] = (byte) ((sums[i] + block / 2) / block);
        }
      }
    }
    return out;
  }
}
