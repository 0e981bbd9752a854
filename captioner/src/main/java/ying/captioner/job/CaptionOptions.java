package ying.captioner.job;

import java.io.Serializable;

/**
 * How the caption job cuts and captions.
 *
 * @param model a registry ref ({@code NAME[@VERSION]}) of the captioner
 * @param registry the registry URI the executors load the model from
 * @param windowSeconds the captioner looks at the middle of a clip, at most this long: the span
 *     its training clips covered (49 frames at 8 fps)
 * @param torchThreads libtorch intra-op threads per executor JVM, or 0 to leave libtorch's default
 *     (all cores); one per task core lets the tasks caption side by side without oversubscribing
 */
public record CaptionOptions(String model, String registry, double maxClipSeconds, double minClipSeconds, int beam,
    int batch, double windowSeconds, double sampleFps, int torchThreads) implements Serializable {
  public CaptionOptions {
    if (!(maxClipSeconds > 0) || minClipSeconds < 0 || minClipSeconds > maxClipSeconds) {
      throw new IllegalArgumentException("need 0 <= --min-clip-s <= --max-clip-s, got " + minClipSeconds + ", "
          + maxClipSeconds);
    }
    if (beam < 1 || batch < 1) {
      throw new IllegalArgumentException("beam and batch must be positive");
    }
    if (torchThreads < 0) {
      throw new IllegalArgumentException("--torch-threads must be 0 (libtorch's default) or more");
    }
  }

  public static CaptionOptions defaults(String model, String registry) {
    return new CaptionOptions(model, registry, 10, 1, 1, 16, 49 / 8.0, 8, 1);
  }
}
