package ying.datasetbuilder;

/**
 * The check that confirms a near-duplicate candidate: colour thumbnails of the frames the hash
 * samples, compared cell by cell. The hash alone is coarse: in a large synthetic dataset, scenes of
 * different small objects on one flat background share it (3.3% of 24,708 distinct clips matched at
 * 3 bits). A copy of the same footage (noise, a re-encode's colour shift) differs by a few grey levels
 * in every thumbnail cell; a different object differs by tens in the cells it covers.
 */
public final class FrameThumbnails {
  private FrameThumbnails() {}

  public static final int COLUMNS = 24;
  public static final int ROWS = 16;
  /**
   * Largest difference, in levels of 255, of any cell and channel once the frames' mean difference in
   * that channel is taken out. Noise of sigma 3 per pixel moves a cell of a 96x64 frame by about 1.
   */
  public static final int TOLERANCE = 16;

  private static final int FRAME_BYTES = COLUMNS * ROWS * 3;

  /** Thumbnails of the {@link PerceptualHash#SAMPLES} frames that the hash samples, one after another. */
  public static byte[] ofClip(byte[] frames, int count, int width, int height) {
    byte[] out = new byte[PerceptualHash.SAMPLES * FRAME_BYTES];
    int frameBytes = width * height * 3;
    for (int i = 0; i < PerceptualHash.SAMPLES; i++) {
      thumbnail(frames, PerceptualHash.sampledFrame(i, count) * frameBytes, width, height, out, i * FRAME_BYTES);
    }
    return out;
  }

  private static void thumbnail(byte[] rgb, int offset, int width, int height, byte[] out, int outOffset) {
    double[] sum = new double[FRAME_BYTES];
    int[] counts = new int[COLUMNS * ROWS];
    for (int y = 0; y < height; y++) {
      int row = y * ROWS / height;
      for (int x = 0; x < width; x++) {
        int cell = row * COLUMNS + x * COLUMNS / width;
        int p = offset + (y * width + x) * 3;
        for (int c = 0; c < 3; c++) {
          sum[cell * 3 + c] += rgb[p + c] & 0xff;
        }
        counts[cell]++;
      }
    }
    for (int i = 0; i < FRAME_BYTES; i++) {
      out[outOffset + i] = (byte) Math.round(sum[i] / Math.max(1, counts[i / 3]));
    }
  }

  /**
   * Whether every sampled frame of {@code b} matches {@code a}'s within {@code tolerance} in every
   * cell and channel, after each channel's mean difference is taken out (a re-encode may shift
   * colours as a whole).
   */
  public static boolean sameFootage(byte[] a, byte[] b, int tolerance) {
    if (a == null || b == null || a.length != b.length) {
      return false;
    }
    for (int f = 0; f < a.length; f += FRAME_BYTES) {
      double[] shift = new double[3];
      for (int i = 0; i < FRAME_BYTES; i++) {
        shift[i % 3] += (b[f + i] & 0xff) - (a[f + i] & 0xff);
      }
      for (int c = 0; c < 3; c++) {
        shift[c] /= COLUMNS * ROWS;
      }
      for (int i = 0; i < FRAME_BYTES; i++) {
        if (Math.abs((b[f + i] & 0xff) - (a[f + i] & 0xff) - shift[i % 3]) > tolerance) {
          return false;
        }
      }
    }
    return true;
  }
}
