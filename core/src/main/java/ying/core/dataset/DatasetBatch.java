package ying.core.dataset;

import java.util.List;

/**
 * A batch of same-shaped clips from one bucket: frames packed as {@code uint8 [B, T, H, W, C=3]},
 * ready to become one tensor.
 */
public record DatasetBatch(List<String> clipIds, List<String> captions, int frames, int height, int width,
    byte[] pixels) {
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
