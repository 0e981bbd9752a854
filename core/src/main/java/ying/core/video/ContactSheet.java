package ying.core.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** A PNG grid of frames sampled evenly from a clip, to see a generated or reconstructed video at a glance. */
public final class ContactSheet {
  private ContactSheet() {}

  /**
   * @param frames T x H x W x 3 RGB bytes
   * @param count how many frames to show (at most T), in {@code columns} columns, first and last included
   */
  public static byte[] png(byte[] frames, int t, int h, int w, int count, int columns) {
    int n = Math.max(1, Math.min(count, t));
    int cols = Math.max(1, Math.min(columns, n));
    int rows = (n + cols - 1) / cols;
    int gap = 2;
    BufferedImage sheet = new BufferedImage(cols * w + (cols - 1) * gap, rows * h + (rows - 1) * gap,
        BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < n; i++) {
      int f = n == 1 ? 0 : (int) Math.round(i * (t - 1) / (double) (n - 1));
      int x0 = (i % cols) * (w + gap);
      int y0 = (i / cols) * (h + gap);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int o = ((f * h + y) * w + x) * 3;
          sheet.setRGB(x0 + x, y0 + y, (frames[o] & 0xff) << 16 | (frames[o + 1] & 0xff) << 8 | (frames[o + 2] & 0xff));
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(sheet, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
