package ying.captioner.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import ying.core.dataset.Bucket;

/**
 * How much of a clip a captioner reads: the span of the clips it was trained on. The caption job
 * samples the model's frames from the middle this long of a longer clip, so a motion between two of
 * them is as far as in training. Showing captioner@12 (trained on 4.1 s clips) 6.1 s windows put its
 * frames 0.86 s apart instead of 0.57: a quarter turn a second then reads as a slow turn the other
 * way on a square and as no turn on a star: on held-out videos 17 of 43 scenes of 7-8 s came out wrong,
 * 7 of 47 of 4-5 s.
 */
public final class CaptionWindow {
  /** The manifest fact a trainer writes. */
  public static final String MANIFEST_KEY = "window_seconds";

  /** The longest of build-dataset's default buckets (49 frames at 8 fps), which train-captioner read. */
  public static final double DEFAULT_SECONDS = 49 / 8.0;

  private CaptionWindow() {}

  /**
   * A checkpoint's window: its {@value #MANIFEST_KEY}; for one published before that fact existed,
   * the span of its raw clips' bucket (the raw trainers' clips, rendered ones too, all have it), else
   * {@link #DEFAULT_SECONDS}.
   */
  public static double of(JsonNode manifest) {
    JsonNode w = manifest.path(MANIFEST_KEY);
    if (w.isNumber() && w.asDouble() > 0) {
      return w.asDouble();
    }
    String bucket = manifest.path("raw_clips").path("bucket").asText("");
    return bucket.isEmpty() ? DEFAULT_SECONDS : Bucket.parse(bucket).seconds();
  }

  /** The window of a model trained on all of these buckets' clips: the longest span, which its longest scenes filled. */
  public static double ofBuckets(Collection<String> buckets) {
    return buckets.stream().mapToDouble(b -> Bucket.parse(b).seconds()).max()
        .orElseThrow(() -> new IllegalArgumentException("no buckets"));
  }
}
