package ying.core.video;

/**
 * Decoded RGB frames packed as one {@code uint8} array in THWC order, with each frame's
 * presentation time in seconds. One array keeps a clip cheap to hand to Parquet and to tensors.
 */
public record Frames(int count, int height, int width, byte[] rgb, double[] timestamps) {
  public Frames {
    if (rgb.length != (long) count * height * width * 3 || timestamps.length != count) {
      throw new IllegalArgumentException("frame buffer does not match " + count + "x" + height + "x" + width + "x3");
    }
  }

  public int frameBytes() {
    return height * width * 3;
  }

  /** A copy of frame {@code i}, {@code H*W*3} bytes. */
  public byte[] frame(int i) {
    byte[] out = new byte[frameBytes()];
    System.arraycopy(rgb, i * frameBytes(), out, 0, out.length);
    return out;
  }

  /** Red, green, blue (0..255) of pixel (x, y) in frame {@code i}. */
  public int[] pixel(int i, int x, int y) {
    int at = i * frameBytes() + (y * width + x) * 3;
    return new int[] {rgb[at] & 0xff, rgb[at + 1] & 0xff, rgb[at + 2] & 0xff};
  }
}
