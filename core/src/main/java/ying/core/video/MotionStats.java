package ying.core.video;

/**
 * Motion and flashing measures of a decoded clip (uint8 THWC), all on a 0..1 scale; the dataset
 * builder filters on them and the captioner reports them.
 *
 * @param motion the larger of the mean absolute change between frames one second apart (so slow
 *     camera moves count) and between consecutive frames (so fast periodic change does): what
 *     "static" is judged on
 * @param change mean absolute change between consecutive frames: what "too fast" is judged on
 * @param flashFraction share of consecutive frame pairs whose mean brightness jumps by more than
 *     the given threshold
 */
public record MotionStats(double motion, double change, double flashFraction) {
  /** Measures {@code count} packed RGB frames of {@code frameBytes} each, sampled at {@code fps}. */
  public static MotionStats of(byte[] frames, int count, int frameBytes, double fps, double flashJump) {
    if (count < 2) {
      return new MotionStats(0, 0, 0);
    }
    int second = Math.max(1, Math.min(count - 1, (int) Math.round(fps)));
    double motion = 0;
    for (int k = second; k < count; k++) {
      motion += meanAbsDiff(frames, (k - second) * frameBytes, k * frameBytes, frameBytes);
    }
    motion /= count - second;
    double change = 0;
    int flashes = 0;
    double previousLuma = luma(frames, 0, frameBytes);
    for (int k = 1; k < count; k++) {
      change += meanAbsDiff(frames, (k - 1) * frameBytes, k * frameBytes, frameBytes);
      double l = luma(frames, k * frameBytes, frameBytes);
      if (Math.abs(l - previousLuma) > flashJump) {
        flashes++;
      }
      previousLuma = l;
    }
    change /= count - 1;
    return new MotionStats(Math.max(motion, change), change, flashes / (double) (count - 1));
  }

  private static double meanAbsDiff(byte[] f, int a, int b, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.abs((f[a + i] & 0xff) - (f[b + i] & 0xff));
    }
    return sum / (255.0 * n);
  }

  private static double luma(byte[] f, int at, int n) {
    double sum = 0;
    for (int i = at; i < at + n; i += 3) {
      sum += 0.299 * (f[i] & 0xff) + 0.587 * (f[i + 1] & 0xff) + 0.114 * (f[i + 2] & 0xff);
    }
    return sum / (255.0 * (n / 3));
  }
}
