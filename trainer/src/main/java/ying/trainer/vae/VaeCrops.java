package ying.trainer.vae;

import java.util.Random;
import ying.core.dataset.DatasetBatch;

/**
 * Random training windows from a batch of whole clips: a run of frames, a spatial crop and a coin
 * flip for mirroring, per clip. A window may start at any frame, so the causal VAE's "first frame
 * on its own" path sees every kind of frame, not only scene openings.
 */
public final class VaeCrops {
  private VaeCrops() {}

  /** Whether the clips of {@code batch} hold a window of this size. */
  static boolean fits(DatasetBatch batch, int frames, int height, int width) {
    return batch.frames() >= frames && batch.height() >= height && batch.width() >= width;
  }

  /** B windows of {@code frames x height x width x 3} bytes back to back. */
  public static byte[] cut(DatasetBatch batch, int frames, int height, int width, Random rng) {
    if (!fits(batch, frames, height, width)) {
      throw new IllegalArgumentException("crops of " + frames + "x" + height + "x" + width + " (frames x height x"
          + " width) do not fit this dataset's clips of " + batch.frames() + "x" + batch.height() + "x" + batch.width());
    }
    int row = width * 3;
    int srcRow = batch.width() * 3;
    int srcFrame = batch.height() * srcRow;
    byte[] out = new byte[batch.size() * frames * height * row];
    int o = 0;
    for (int i = 0; i < batch.size(); i++) {
      int t0 = rng.nextInt(batch.frames() - frames + 1);
      int y0 = rng.nextInt(batch.height() - height + 1);
      int x0 = rng.nextInt(batch.width() - width + 1);
      boolean mirror = rng.nextBoolean();
      for (int t = 0; t < frames; t++) {
        for (int y = 0; y < height; y++) {
          int src = i * batch.clipBytes() + (t0 + t) * srcFrame + (y0 + y) * srcRow + x0 * 3;
          if (!mirror) {
            System.arraycopy(batch.pixels(), src, out, o, row);
          } else {
            for (int x = 0; x < width; x++) {
              System.arraycopy(batch.pixels(), src + (width - 1 - x) * 3, out, o + x * 3, 3);
            }
          }
          o += row;
        }
      }
    }
    return out;
  }

  /** The first {@code t} frames of each clip, cropped to {@code h x w} about the centre, back to back. */
  static byte[] centre(DatasetBatch batch, int t, int h, int w) {
    int y0 = (batch.height() - h) / 2;
    int x0 = (batch.width() - w) / 2;
    int srcRow = batch.width() * 3;
    byte[] out = new byte[batch.size() * t * h * w * 3];
    int o = 0;
    for (int i = 0; i < batch.size(); i++) {
      for (int f = 0; f < t; f++) {
        for (int y = 0; y < h; y++) {
          int src = i * batch.clipBytes() + (f * batch.height() + y0 + y) * srcRow + x0 * 3;
          System.arraycopy(batch.pixels(), src, out, o, w * 3);
          o += w * 3;
        }
      }
    }
    return out;
  }
}
