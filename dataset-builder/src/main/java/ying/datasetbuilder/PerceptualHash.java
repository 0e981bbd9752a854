package ying.datasetbuilder;

/**
 * A ternary difference hash of a frame: a grey 9x8 thumbnail, and for each horizontally adjacent
 * pair of cells two bits, "left darker by more than {@link #MARGIN}" and "left brighter by more
 * than it". A plain dHash gives one bit per pair even where the two cells are equal, and there noise
 * decides it: on flat backgrounds (the synthetic world's) a re-encode flipped many bits while a
 * different small object on the same background flipped few, so the plain hash at 6 bits missed
 * 42% of noisy copies and still dropped 10% of 7,630 distinct scenes. Equal cells give two zero bits
 * here, so noise rarely flips them and an object that makes a pair unequal always does. Still too
 * coarse to tell small objects apart alone: {@link FrameThumbnails} confirms each candidate pair
 * ({@code docs/near-duplicates.md} has the measurements).
 */
public final class PerceptualHash {
  private PerceptualHash() {}

  /** Frames hashed per clip, evenly spread, so clips that share only a first frame do not match. */
  public static final int SAMPLES = 4;
  /** Longs per frame hash: the "darker" plane, then the "brighter" plane. */
  static final int WORDS = 2;
  /** Grey levels (of 255) by which two cells must differ to set a bit. */
  static final double MARGIN = 3;
  /** Each plane splits into this many bands; near-duplicate candidates share one band exactly. */
  static final int BANDS_PER_WORD = 4;

  /** The {@link #WORDS} planes of one frame's hash. */
  static long[] dHash(byte[] rgb, int offset, int width, int height) {
    double[] grey = greyCells(rgb, offset, width, height);
    long darker = 0;
    long brighter = 0;
    for (int gy = 0; gy < 8; gy++) {
      for (int gx = 0; gx < 8; gx++) {
        double left = grey[gy * 9 + gx];
        double right = grey[gy * 9 + gx + 1];
        darker = (darker << 1) | (left < right - MARGIN ? 1 : 0);
        brighter = (brighter << 1) | (left > right + MARGIN ? 1 : 0);
      }
    }
    return new long[] {darker, brighter};
  }

  /** Mean grey level (0..255) of each cell of a 9 x 8 grid over one frame, row by row. */
  public static double[] greyCells(byte[] rgb, int offset, int width, int height) {
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
    for (int i = 0; i < grey.length; i++) {
      grey[i] /= Math.max(1, counts[i]);
    }
    return grey;
  }

  /** Hashes of {@link #SAMPLES} frames at 1/8, 3/8, 5/8 and 7/8 of the clip, {@link #WORDS} longs each. */
  public static long[] ofClip(byte[] frames, int count, int width, int height) {
    long[] out = new long[SAMPLES * WORDS];
    int frameBytes = width * height * 3;
    for (int i = 0; i < SAMPLES; i++) {
      System.arraycopy(dHash(frames, sampledFrame(i, count) * frameBytes, width, height), 0, out, i * WORDS, WORDS);
    }
    return out;
  }

  /** Index of sampled frame {@code i} (of {@link #SAMPLES}) in a clip of {@code count} frames. */
  public static int sampledFrame(int i, int count) {
    return Math.min(count - 1, (int) ((2 * i + 1) * (long) count / (2 * SAMPLES)));
  }

  /** Differing bits between two clips' hashes of sampled frame {@code frame}. */
  public static int distance(long[] a, long[] b, int frame) {
    int d = 0;
    for (int w = 0; w < WORDS; w++) {
      d += Long.bitCount(a[frame * WORDS + w] ^ b[frame * WORDS + w]);
    }
    return d;
  }

  /**
   * LSH keys of one sampled frame's hash: the band index in the top bits, so bands of different
   * positions never meet. Two hashes within {@code WORDS * BANDS_PER_WORD - 1} bits share a band.
   */
  static long[] bands(long[] clipHash, int frame) {
    long[] out = new long[WORDS * BANDS_PER_WORD];
    int width = 64 / BANDS_PER_WORD;
    for (int w = 0; w < WORDS; w++) {
      for (int b = 0; b < BANDS_PER_WORD; b++) {
        int band = w * BANDS_PER_WORD + b;
        long value = (clipHash[frame * WORDS + w] >>> (b * width)) & ((1L << width) - 1);
        out[band] = ((long) band << 32) | value;
      }
    }
    return out;
  }
}
