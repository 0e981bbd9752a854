package ying.datasetbuilder;

/**
 * A difference hash (dHash) of a frame: grey 9x8 thumbnail, one bit per horizontally adjacent pair.
 * Near-identical frames (re-encodes, small crops or noise) differ in a few of the 64 bits.
 */
final class PerceptualHash {
  private PerceptualHash() {}

  /** Frames hashed per clip, evenly spread, so clips that share only a first frame do not match. */
  static final int SAMPLES = 4;
  /** The 64 bits split into this many bands; near-duplicate candidates share one band exactly. */
  static final int BANDS = 4;

  static long dHash(byte[] rgb, int offset, int width, int height) {
    double[] grey = new double[9 * 8];
    int[] counts = new int[9 * 8];
    for (int y = 0; y < height; y++) {
      int gy = y * 8 / height;
      for (int x = 0; x < width; x++) {
        int gx = x * 9 / width;
        int p = offset + (y * width + x) * 3;
        grey[gy * 9 + gx] += 0.299 * (rgb[p] & 0xff) + 0.587 * (rgb[p + 1] & 0xff) + 0.114 * (rgb[p + 2] & 0xff);
        counts[gy * 9 + gx]++;
      }
    }
    long bits = 0;
    for (int gy = 0; gy < 8; gy++) {
      for (int gx = 0; gx < 8; gx++) {
        double left = grey[gy * 9 + gx] / Math.max(1, counts[gy * 9 + gx]);
        double right = grey[gy * 9 + gx + 1] / Math.max(1, counts[gy * 9 + gx + 1]);
        bits = (bits << 1) | (left < right ? 1 : 0);
      }
    }
    return bits;
  }

  /** Hashes of {@link #SAMPLES} frames at 1/8, 3/8, 5/8 and 7/8 of the clip. */
  static long[] ofClip(byte[] frames, int count, int width, int height) {
    long[] out = new long[SAMPLES];
    int frameBytes = width * height * 3;
    for (int i = 0; i < SAMPLES; i++) {
      int k = Math.min(count - 1, (int) ((2 * i + 1) * (long) count / (2 * SAMPLES)));
      out[i] = dHash(frames, k * frameBytes, width, height);
    }
    return out;
  }

  /** LSH keys of one hash: the band index in the top bits, so bands of different positions never meet. */
  static long[] bands(long hash) {
    long[] out = new long[BANDS];
    int width = 64 / BANDS;
    for (int b = 0; b < BANDS; b++) {
      long value = (hash >>> (b * width)) & ((1L << width) - 1);
      out[b] = ((long) b << 32) | value;
    }
    return out;
  }
}
