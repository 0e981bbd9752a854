package ying.core.synth;

/**
 * Where a synthetic clip's objects are, read back from its pixels: each object colour is bright and
 * saturated (or white) and every background colour is muted ({@link Colour}), so a pixel whose
 * brightest channel is high and whose channels spread far apart (or are all high) belongs to an
 * object, also after H.264 and a resize. Glow halos (a quarter to a half of the colour over the
 * background) and the starry night's pale stars stay below it.
 *
 * <p>The cover is counted per VAE latent cell, so a DiT's loss can weigh the cells that carry what
 * the captions name: the shapes are a few cells of each object's outline.
 */
public final class ObjectCover {
  private static final int BRIGHT = 0xA0;
  private static final int SPREAD = 0x60;
  private static final int WHITE = 0xE0;

  private ObjectCover() {}

  /** True when an RGB pixel has an object's colour. */
  public static boolean isObject(int r, int g, int b) {
    int max = Math.max(r, Math.max(g, b));
    int min = Math.min(r, Math.min(g, b));
    return max >= BRIGHT && (max - min >= SPREAD || min >= WHITE);
  }

  /**
   * One float per pixel of {@code rgb} (frames of {@code height x width} RGB bytes back to back): 1
   * where the pixel has an object's colour or lies within {@code margin} pixels of one in its frame
   * (a square around it), 0 elsewhere. What a VAE's reconstruction loss weighs pixel by pixel; the
   * margin takes in the background just outside an outline, so colour bled past an edge costs as
   * much as colour missing inside it.
   */
  public static float[] pixels(byte[] rgb, int height, int width, int margin) {
    int frame = height * width;
    if (frame < 1 || margin < 0 || rgb.length % (3 * frame) != 0) {
      throw new IllegalArgumentException(rgb.length + " bytes are not whole RGB frames of " + width + "x" + height
          + " (margin " + margin + ")");
    }
    float[] mask = new float[rgb.length / 3];
    for (int i = 0, p = 0; i < mask.length; i++, p += 3) {
      mask[i] = isObject(rgb[p] & 0xFF, rgb[p + 1] & 0xFF, rgb[p + 2] & 0xFF) ? 1f : 0f;
    }
    if (margin == 0) {
      return mask;
    }
    // A square dilation is a running maximum along rows, then along columns.
    float[] rows = new float[mask.length];
    for (int f = 0; f < mask.length; f += frame) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          float m = 0;
          for (int d = Math.max(0, x - margin); d <= Math.min(width - 1, x + margin) && m == 0; d++) {
            m = mask[f + y * width + d];
          }
          rows[f + y * width + x] = m;
        }
      }
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          float m = 0;
          for (int d = Math.max(0, y - margin); d <= Math.min(height - 1, y + margin) && m == 0; d++) {
            m = rows[f + d * width + x];
          }
          mask[f + y * width + x] = m;
        }
      }
    }
    return mask;
  }

  /**
   * The share of object pixels in each latent cell of a clip of {@code frames x height x width} RGB
   * bytes, as a causal VAE with {@code temporal} and {@code spatial} factors cuts it: latent frame 0
   * is frame 0 alone, latent frame k the {@code temporal} frames up to frame {@code k * temporal}.
   * Returns {@code [1 + (frames - 1) / temporal, height / spatial, width / spatial]} floats in [0, 1].
   */
  public static float[] cells(byte[] rgb, int frames, int height, int width, int temporal, int spatial) {
    if ((frames - 1) % temporal != 0 || height % spatial != 0 || width % spatial != 0) {
      throw new IllegalArgumentException(frames + " frames of " + width + "x" + height + " do not cut into latent"
          + " cells of " + temporal + " frames and " + spatial + "x" + spatial + " pixels");
    }
    if (rgb.length != frames * height * width * 3) {
      throw new IllegalArgumentException("need " + frames * height * width * 3 + " bytes, got " + rgb.length);
    }
    int lt = 1 + (frames - 1) / temporal;
    int lh = height / spatial;
    int lw = width / spatial;
    float[] cover = new float[lt * lh * lw];
    for (int f = 0; f < frames; f++) {
      int cellFrame = (f + temporal - 1) / temporal; // 0 -> 0, 1..4 -> 1, 5..8 -> 2 for temporal 4
      int base = f * height * width * 3;
      for (int y = 0; y < height; y++) {
        int row = (cellFrame * lh + y / spatial) * lw;
        for (int x = 0, p = base + y * width * 3; x < width; x++, p += 3) {
          if (isObject(rgb[p] & 0xFF, rgb[p + 1] & 0xFF, rgb[p + 2] & 0xFF)) {
            cover[row + x / spatial]++;
          }
        }
      }
    }
    for (int k = 0; k < lt; k++) {
      float pixels = (k == 0 ? 1 : temporal) * spatial * spatial;
      for (int i = k * lh * lw; i < (k + 1) * lh * lw; i++) {
        cover[i] /= pixels;
      }
    }
    return cover;
  }
}
