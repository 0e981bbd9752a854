package ying.inference.vae;

import ai.djl.ndarray.types.Shape;

/**
 * Accumulates decoded spatial tiles into one video {@code [B, C, T, H, W]}, each tile weighted by a
 * linear ramp across the overlap on every side it shares with a neighbour, then normalised, so
 * seams fade instead of showing.
 */
final class TileBlend {
  private final long batch;
  private final long channels;
  private final long frames;
  private final long height;
  private final long width;
  private final float[] sum;
  private final float[] weight;

  TileBlend(long batch, long channels, long frames, long height, long width) {
    this.batch = batch;
    this.channels = channels;
    this.frames = frames;
    this.height = height;
    this.width = width;
    long planes = batch * channels * frames;
    sum = new float[Math.toIntExact(planes * height * width)];
    weight = new float[Math.toIntExact(height * width)];
  }

  /** Tile starts along an axis of {@code size} cells: evenly spaced, the last one ending at the edge. */
  static int[] starts(int size, int tile, int overlap) {
    if (size <= tile) {
      return new int[] {0};
    }
    int n = (size - tile + (tile - overlap) - 1) / (tile - overlap) + 1;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) Math.round((double) i * (size - tile) / (n - 1));
    }
    return out;
  }

  /** Adds a tile {@code [B, C, T, th, tw]} (flattened) whose top-left pixel is {@code (y0, x0)}. */
  void add(float[] tile, int y0, int x0, int th, int tw, int ramp, boolean top, boolean bottom, boolean left,
      boolean right) {
    float[] wy = ramp(th, ramp, top, bottom);
    float[] wx = ramp(tw, ramp, left, right);
    long planes = batch * channels * frames;
    for (long p = 0; p < planes; p++) {
      for (int y = 0; y < th; y++) {
        for (int x = 0; x < tw; x++) {
          float wgt = wy[y] * wx[x];
          sum[(int) ((p * height + y0 + y) * width + x0 + x)] += wgt * tile[(int) ((p * th + y) * tw + x)];
        }
      }
    }
    for (int y = 0; y < th; y++) {
      for (int x = 0; x < tw; x++) {
        weight[(int) ((y0 + y) * width + x0 + x)] += wy[y] * wx[x];
      }
    }
  }

  private static float[] ramp(int length, int ramp, boolean rampStart, boolean rampEnd) {
    float[] w = new float[length];
    for (int i = 0; i < length; i++) {
      float v = 1f;
      if (rampStart && ramp > 0) {
        v = Math.min(v, (i + 0.5f) / ramp);
      }
      if (rampEnd && ramp > 0) {
        v = Math.min(v, (length - i - 0.5f) / ramp);
      }
      w[i] = v;
    }
    return w;
  }

  float[] result() {
    float[] out = new float[sum.length];
    int plane = (int) (height * width);
    for (int i = 0; i < out.length; i++) {
      out[i] = sum[i] / weight[i % plane];
    }
    return out;
  }

  Shape shape() {
    return new Shape(batch, channels, frames, height, width);
  }
}
