package ying.captioner.model;

import java.util.List;

/**
 * Anything the caption job can caption with: Ying's own {@link CaptionerModel} or an external
 * {@link TorchScriptCaptioner}. Frames come in as {@code uint8 [count, frames, height, width, 3]},
 * packed in one array, sampled evenly over each clip.
 */
public interface Captioner extends AutoCloseable {
  int frames();

  int height();

  int width();

  /**
   * Seconds of a clip that the model reads (its frames spread over them): the span of its training
   * clips, {@link CaptionWindow}. The caption job shows it the middle this long of a longer clip.
   */
  double windowSeconds();

  /** One caption per clip; a beam of 1 decodes greedily. Not thread-safe: callers serialise. */
  default List<Caption> caption(byte[] frames, int count, int beam) {
    int[] views = new int[count];
    java.util.Arrays.fill(views, 1);
    return caption(frames, views, beam);
  }

  /**
   * One caption per clip, clip {@code i} shown as {@code views[i]} consecutive frame sets of
   * {@code frames} (windows of it) that are decoded as one ({@link CaptionSearch}).
   */
  List<Caption> caption(byte[] frames, int[] views, int beam);

  @Override
  void close();
}
