package ying.captioner.job;

import java.io.Serializable;

/**
 * How the caption job cuts and captions.
 *
 * @param model a registry ref ({@code NAME[@VERSION]}) of the captioner
 * @param registry the registry URI the executors load the model from
 * @param views windows of a clip longer than the captioner's window that the model reads, spread over
 *     the clip and decoded as one caption (each word from the mean of their distributions); 1 reads
 *     the middle window only
 * @param windowSeconds the captioner looks at the middle of a clip, at most this long; 0 for the
 *     model's own window, the span its training clips covered ({@link ying.captioner.model.CaptionWindow})
 * @param torchThreads libtorch intra-op threads per executor JVM, or 0 to leave libtorch's default
 *     (all cores); one per task core lets the tasks caption side by side without oversubscribing
 * @param frameMemoryMb decoded frames a task keeps of one video, so that one decode pass serves both
 *     the cuts and the clips; a scene longer than this reads its clips back with seeks instead
 */
public record CaptionOptions(String model, String registry, double maxClipSeconds, double minClipSeconds, int beam,
    int views, int batch, double windowSeconds, double sampleFps, int torchThreads, int frameMemoryMb)
    implements Serializable {
  public CaptionOptions {
    if (!(maxClipSeconds > 0) || minClipSeconds < 0 || minClipSeconds > maxClipSeconds) {
      throw new IllegalArgumentException("need 0 <= --min-clip-s <= --max-clip-s, got " + minClipSeconds + ", "
          + maxClipSeconds);
    }
    if (beam < 1 || batch < 1) {
      throw new IllegalArgumentException("beam and batch must be positive");
    }
    if (views < 1) {
      throw new IllegalArgumentException("--views must be 1 (the middle window) or more");
    }
    if (!(windowSeconds >= 0)) {
      throw new IllegalArgumentException("--window-s must be a positive number of seconds, or 0 for the model's own");
    }
    if (torchThreads < 0) {
      throw new IllegalArgumentException("--torch-threads must be 0 (libtorch's default) or more");
    }
    if (frameMemoryMb < 0) {
      throw new IllegalArgumentException("--frame-memory-mb must be 0 (seek for every clip) or more");
    }
  }

  public static CaptionOptions defaults(String model, String registry) {
    // 128 MB: 1.7 minutes of one scene at 192x128 and 16 fps, 7 at 96x64; a task of a few GB holds it.
    return new CaptionOptions(model, registry, 10, 1, 1, 1, 16, 0, 8, 1, 128);
  }

  /** These options with the window resolved for {@code captioner}: its own unless one was given. */
  public CaptionOptions forCaptioner(ying.captioner.model.Captioner captioner) {
    return windowSeconds > 0 ? this : withWindowSeconds(captioner.windowSeconds());
  }

  public CaptionOptions withWindowSeconds(double seconds) {
    return new CaptionOptions(model, registry, maxClipSeconds, minClipSeconds, beam, views, batch, seconds, sampleFps,
        torchThreads, frameMemoryMb);
  }

  public CaptionOptions withViews(int count) {
    return new CaptionOptions(model, registry, maxClipSeconds, minClipSeconds, beam, count, batch, windowSeconds,
        sampleFps, torchThreads, frameMemoryMb);
  }

  public long frameMemoryBytes() {
    return (long) frameMemoryMb << 20;
  }

  public CaptionOptions withFrameMemoryMb(int mb) {
    return new CaptionOptions(model, registry, maxClipSeconds, minClipSeconds, beam, views, batch, windowSeconds, sampleFps,
        torchThreads, mb);
  }
}
