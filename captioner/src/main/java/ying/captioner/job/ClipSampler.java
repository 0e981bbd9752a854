package ying.captioner.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ying.captioner.model.FrameSampler;
import ying.core.video.ConstantRate;
import ying.core.video.FrameSpec;
import ying.core.video.Frames;
import ying.core.video.MotionStats;
import ying.core.video.SceneCutDetector;
import ying.core.video.VideoException;
import ying.core.video.VideoInfo;
import ying.core.video.VideoReader;

/**
 * The caption job's one decode pass per video: every frame, at the model's size and the native
 * rate, feeds the scene-cut scorer and is kept; once the cuts are known the clips are planned and
 * each clip's window is resampled out of memory by the reader's own rule ({@link ConstantRate}),
 * so the frames equal what a seek-and-read of the window returns. Decoding the video a second time
 * for its windows used to cost as much as the model on small captioners.
 *
 * <p>A video whose frames would pass {@code maxKeptBytes} stops keeping them and reads each window
 * back with a seek instead: the same frames, in bounded memory.
 */
final class ClipSampler {
  /** About 7 minutes of 96x64 frames at 16 fps, 1.7 minutes of 192x128. */
  static final long MAX_KEPT_BYTES = 128L << 20;

  private ClipSampler() {}

  /** A planned clip, the model's frames of it (packed THWC) and the motion score of its window. */
  record Sampled(ClipPlanner.Clip clip, byte[] frames, double motion) {}

  static List<Sampled> sample(VideoReader reader, int width, int height, int modelFrames, CaptionOptions options,
      long maxKeptBytes) throws VideoException {
    VideoInfo info = reader.info();
    int frameBytes = width * height * 3;
    SceneCutDetector.Scorer scorer = new SceneCutDetector().scorer(width, height);
    Kept kept = new Kept(width, height, maxKeptBytes);
    reader.stream(0, Double.POSITIVE_INFINITY, FrameSpec.of(0, width, height), (i, t, rgb) -> {
      scorer.accept(t, rgb);
      kept.add(t, rgb);
    });
    SceneCutDetector.Result scenes = scorer.result();
    // The decoded frames, not the container's claim, say where the video ends.
    double[] ts = scenes.timestamps();
    double end = ts.length == 0 ? 0 : ts[ts.length - 1] + (info.fps() > 0 ? 1 / info.fps() : 0);
    List<Sampled> out = new ArrayList<>();
    FrameSpec windowSpec = FrameSpec.of(options.sampleFps(), width, height);
    for (ClipPlanner.Clip clip : ClipPlanner.plan(scenes.cutTimes(), end, options.maxClipSeconds(),
        options.minClipSeconds())) {
      double span = Math.min(options.windowSeconds(), clip.end() - clip.start());
      double from = clip.start() + (clip.end() - clip.start() - span) / 2;
      Frames window = kept.complete
          ? kept.window(from, from + span, options.sampleFps(), reader, info)
          : reader.read(from, from + span, windowSpec);
      byte[] picked = new byte[modelFrames * frameBytes];
      FrameSampler.copy(window.rgb(), 0, frameBytes, FrameSampler.indices(window.count(), modelFrames, 0, null),
          picked, 0);
      double motion = MotionStats.of(window.rgb(), window.count(), frameBytes, options.sampleFps(), 1).motion();
      out.add(new Sampled(clip, picked, motion));
    }
    return out;
  }

  /** Every decoded frame and its timestamp, until they would pass the byte limit. */
  private static final class Kept {
    final int width;
    final int height;
    final int frameBytes;
    final long maxBytes;
    final List<byte[]> frames = new ArrayList<>();
    long[] ptsUs = new long[256];
    int count;
    boolean complete = true;

    Kept(int width, int height, long maxBytes) {
      this.width = width;
      this.height = height;
      this.frameBytes = width * height * 3;
      this.maxBytes = maxBytes;
    }

    void add(double t, byte[] rgb) {
      if (!complete) {
        return;
      }
      if ((long) (count + 1) * frameBytes > maxBytes) {
        complete = false;
        frames.clear();
        return;
      }
      if (count == ptsUs.length) {
        ptsUs = java.util.Arrays.copyOf(ptsUs, count * 2);
      }
      ptsUs[count++] = Math.round(t * 1e6);
      frames.add(rgb.clone());
    }

    Frames window(double from, double to, double fps, VideoReader reader, VideoInfo info) throws VideoException {
      int[] picks = ConstantRate.pick(ptsUs, count, from, to, fps, reader.nativeFrameSeconds(),
          info.durationSeconds());
      if (picks.length == 0) {
        throw new VideoException(VideoException.Kind.NO_FRAMES, info.uri(), String.format(Locale.ROOT,
            "nothing in [%.3f, %.3f) s of a %.3f s video", from, to, info.durationSeconds()));
      }
      byte[] rgb = new byte[picks.length * frameBytes];
      double[] times = new double[picks.length];
      for (int k = 0; k < picks.length; k++) {
        System.arraycopy(frames.get(picks[k]), 0, rgb, k * frameBytes, frameBytes);
        times[k] = Math.round((from + k / fps) * 1e6) / 1e6;
      }
      return new Frames(picks.length, height, width, rgb, times);
    }
  }
}
