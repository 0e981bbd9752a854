package ying.core.synth;

/** Pixel statistics over RGB24 frames, for tests that check what a viewer would see. */
final class PixelStats {
  private PixelStats() {
  }

  static double colourDistance(byte[] rgb, int pixel, int colour) {
    int dr = (rgb[3 * pixel] & 0xFF) - ((colour >> 16) & 0xFF);
    int dg = (rgb[3 * pixel + 1] & 0xFF) - ((colour >> 8) & 0xFF);
    int db = (rgb[3 * pixel + 2] & 0xFF) - (colour & 0xFF);
    return Math.sqrt(dr * dr + dg * dg + db * db);
  }

  /** Pixels within {@code tolerance} (RGB distance) of the colour. */
  static boolean[] near(byte[] rgb, Colour colour, double tolerance) {
    boolean[] mask = new boolean[rgb.length / 3];
    for (int p = 0; p < mask.length; p++) {
      mask[p] = colourDistance(rgb, p, colour.rgb()) < tolerance;
    }
    return mask;
  }

  static int count(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /** {x, y} mean position of the set pixels. */
  static double[] centroid(boolean[] mask, int width) {
    double sx = 0;
    double sy = 0;
    int n = 0;
    for (int p = 0; p < mask.length; p++) {
      if (mask[p]) {
        sx += p % width;
        sy += p / width;
        n++;
      }
    }
    return new double[] {sx / n, sy / n};
  }

  /** The mask grown by {@code radius} pixels in every direction. */
  static boolean[] dilate(boolean[] mask, int width, int radius) {
    int height = mask.length / width;
    boolean[] out = new boolean[mask.length];
    for (int p = 0; p < mask.length; p++) {
      if (!mask[p]) {
        continue;
      }
      int x = p % width;
      int y = p / width;
      for (int yy = Math.max(0, y - radius); yy <= Math.min(height - 1, y + radius); yy++) {
        for (int xx = Math.max(0, x - radius); xx <= Math.min(width - 1, x + radius); xx++) {
          out[yy * width + xx] = true;
        }
      }
    }
    return out;
  }

  /** Mean absolute channel difference over the pixels not in {@code skip} (null skips none). */
  static double meanAbsDiff(byte[] a, byte[] b, boolean[] skip) {
    long sum = 0;
    long n = 0;
    for (int p = 0; p < a.length / 3; p++) {
      if (skip != null && skip[p]) {
        continue;
      }
      for (int c = 0; c < 3; c++) {
        sum += Math.abs((a[3 * p + c] & 0xFF) - (b[3 * p + c] & 0xFF));
      }
      n += 3;
    }
    return sum / (double) n;
  }

  /** The shift s in [-maxShift, maxShift] for which later(x, y) best matches earlier(x - s, y). */
  static int bestHorizontalShift(byte[] earlier, byte[] later, int width, int maxShift) {
    int height = earlier.length / 3 / width;
    int best = 0;
    double bestError = Double.MAX_VALUE;
    for (int s = -maxShift; s <= maxShift; s++) {
      long sum = 0;
      for (int y = 0; y < height; y++) {
        for (int x = maxShift; x < width - maxShift; x++) {
          int p = 3 * (y * width + x);
          int q = 3 * (y * width + x - s);
          for (int c = 0; c < 3; c++) {
            sum += Math.abs((later[p + c] & 0xFF) - (earlier[q + c] & 0xFF));
          }
        }
      }
      if (sum < bestError) {
        bestError = sum;
        best = s;
      }
    }
    return best;
  }

  /** Normalised colour histogram, 4 bins per channel. */
  static double[] histogram(byte[] rgb) {
    double[] h = new double[64];
    int pixels = rgb.length / 3;
    for (int p = 0; p < pixels; p++) {
      h[((rgb[3 * p] & 0xFF) >> 6) * 16 + ((rgb[3 * p + 1] & 0xFF) >> 6) * 4 + ((rgb[3 * p + 2] & 0xFF) >> 6)]
          += 1.0 / pixels;
    }
    return h;
  }

  /** Half the L1 distance between histograms: 0 for equal, 1 for disjoint. */
  static double histogramDistance(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Math.abs(a[i] - b[i]);
    }
    return d / 2;
  }
}
