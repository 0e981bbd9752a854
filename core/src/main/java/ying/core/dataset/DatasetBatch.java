package ying.core.dataset;

import java.util.List;

/**
 * A batch of same-shaped clips from one bucket: frames packed as {@code uint8 [B, T, H, W, C=3]},
 * ready to become one tensor; and, from a dataset built with {@code --vae}, their VAE latents packed
 * as float16 little-endian {@code [B, C, T', h, w]} ({@code latentShape} is one clip's shape), else
 * null. {@code objectCover}, where known (synthetic clips), is the share of each latent cell's pixels
 * that objects cover, {@code [B, T', h, w]} floats in [0, 1]; null elsewhere.
 */
public record DatasetBatch(List<String> clipIds, List<String> captions, int frames, int height, int width,
    byte[] pixels, byte[] latents, int[] latentShape, float[] objectCover) {
  public DatasetBatch {
    if (objectCover != null && (latentShape == null
        || objectCover.length != clipIds.size() * latentShape[1] * latentShape[2] * latentShape[3])) {
      throw new IllegalArgumentException("object cover of " + objectCover.length + " cells does not match "
          + clipIds.size() + " clips of latent shape " + java.util.Arrays.toString(latentShape));
    }
  }

  /** A batch without latents. */
  public DatasetBatch(List<String> clipIds, List<String> captions, int frames, int height, int width, byte[] pixels) {
    this(clipIds, captions, frames, height, width, pixels, null, null, null);
  }

  /** A batch with latents, no object cover. */
  public DatasetBatch(List<String> clipIds, List<String> captions, int frames, int height, int width, byte[] pixels,
      byte[] latents, int[] latentShape) {
    this(clipIds, captions, frames, height, width, pixels, latents, latentShape, null);
  }

  public boolean hasObjectCover() {
    return objectCover != null;
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
