package ying.core.dataset;

import java.util.List;

/**
 * A batch of same-shaped clips from one bucket: frames packed as {@code uint8 [B, T, H, W, C=3]},
 * ready to become one tensor; and, from a dataset built with {@code --vae}, their VAE latents packed
 * as float16 little-endian {@code [B, C, T', h, w]} ({@code latentShape} is one clip's shape), else
 * null.
 */
public record DatasetBatch(List<String> clipIds, List<String> captions, int frames, int height, int width,
    byte[] pixels, byte[] latents, int[] latentShape) {
  /** A batch without latents. */
  public DatasetBatch(List<String> clipIds, List<String> captions, int frames, int height, int width, byte[] pixels) {
    this(clipIds, captions, frames, height, width, pixels, null, null);
  }

  public boolean hasLatents() {
    return latents != null;
  }

  public int size() {
    return clipIds.size();
  }

  public long[] shape() {
    return new long[] {size(), frames, height, width, 3};
  }

  public int clipBytes() {
    return frames * height * width * 3;
  }
}
