package ying.captioner.job;

import java.util.ArrayList;
import java.util.Arrays;
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
 * rate, feeds the scene-cut scorer and is kept; once a scene's closing cut is known its clips are
 * planned, each clip's window is resampled out of memory by the reader's own rule
 * ({@link ConstantRate}), so the frames equal what a seek-and-read of the window returns, and the
 * clips go to the caller's {@link Sink}. Decoding the video a second time for its windows used to
 * cost as much as the model on small captioners.
 *
 * <p>Kept frames pass {@code maxKeptBytes} only on a long video: then the scenes whose cuts no later
 * frame can move are sampled and their frames let go, so a video of many short shots is read once
 * however long it is. A single scene longer than the limit stops the keeping: that scene and the
 * rest of the video read each window back with a seek instead, the same frames in bounded memory.
 */
final class ClipSampler {
  private ClipSampler() {}

  /**
   * A planned clip, the model's frames of each of its {@code views} windows (packed VTHWC), the
   * motion score of its middle window, and whether its windows were read back with a seek rather
   * than cut out of kept frames.
   */
  record Sampled(ClipPlanner.Clip clip, byte[] frames, int views, double motion, boolean seeked) {}

  /** Takes each sampled clip, in clip order; a long video's first clips come while it still decodes. */
  interface Sink {
    void accept(Sampled clip) throws VideoException;
  }

  static List<Sampled> sample(VideoReader reader, int width, int height, int modelFrames, CaptionOptions options,
      long maxKeptBytes) throws VideoException {
    List<Sampled> out = new ArrayList<>();
    sample(reader, width, height, modelFrames, options, maxKeptBytes, out::add);
    return out;
  }

  static void sample(VideoReader reader, int width, int height, int modelFrames, CaptionOptions options,
      long maxKeptBytes, Sink sink) throws VideoException {
    Pass pass = new Pass(reader, width, height, modelFrames, options, maxKeptBytes, sink);
    reader.stream(0, Double.POSITIVE_INFINITY, FrameSpec.of(0, width, height), pass::accept);
    pass.finish();
  }

  /** One video's pass: scores every frame, keeps what is still needed, samples scenes as they close. */
  private static final class Pass {
    final VideoReader reader;
    final VideoInfo info;
    final int frameBytes;
    final int modelFrames;
    final CaptionOptions options;
    final FrameSpec windowSpec;
    final SceneCutDetector.Scorer scorer;
    final Kept kept;
    final List<ClipPlanner.Clip> planned = new ArrayList<>();
    final Sink sink;
    int scene;
    double sceneStart;
    boolean seeking;

    Pass(VideoReader reader, int width, int height, int modelFrames, CaptionOptions options, long maxKeptBytes,
        Sink sink) throws VideoException {
      if (!(options.windowSeconds() > 0)) {
        throw new IllegalArgumentException("no window: resolve the options for the captioner first (forCaptioner)");
      }
      this.sink = sink;
      this.reader = reader;
      this.info = reader.info();
      this.frameBytes = width * height * 3;
      this.modelFrames = modelFrames;
      this.options = options;
      this.windowSpec = FrameSpec.of(options.sampleFps(), width, height);
      this.scorer = new SceneCutDetector().scorer(width, height);
      this.kept = new Kept(width, height, maxKeptBytes);
    }

    void accept(int index, double t, byte[] rgb) throws VideoException {
      scorer.accept(t, rgb);
      if (seeking) {
        return;
      }
      if (kept.full()) {
        for (double cut : scorer.settledCuts()) {
          if (cut > sceneStart) {
            closeScene(cut);
          }
        }
        if (kept.full()) {
          seeking = true;
          kept.clear();
          return;
        }
      }
      kept.add(t, rgb);
    }

    void finish() throws VideoException {
      SceneCutDetector.Result scenes = scorer.result();
      // The decoded frames, not the container's claim, say where the video ends.
      double[] ts = scenes.timestamps();
      double end = ts.length == 0 ? 0 : ts[ts.length - 1] + (info.fps() > 0 ? 1 / info.fps() : 0);
      for (double cut : scenes.cutTimes()) {
        if (cut > sceneStart && cut < end) {
          closeScene(cut);
        }
      }
      closeScene(end);
    }

    /** Plans the scene from {@code sceneStart} to {@code end} as {@link ClipPlanner#plan} would, and samples it. */
    private void closeScene(double end) throws VideoException {
      int first = planned.size();
      ClipPlanner.planScene(planned, scene++, sceneStart, end, options.maxClipSeconds(), options.minClipSeconds());
      for (ClipPlanner.Clip clip : planned.subList(first, planned.size())) {
        sink.accept(sample(clip));
      }
      sceneStart = end;
      if (!seeking) {
        kept.dropBefore(end);
      }
    }

    /**
     * The clip's windows: its middle where one view is asked for or the clip fits the window, else
     * {@code views} windows whose starts lie at the middles of {@code views} equal parts of the range
     * a start can take (for 3: a sixth, a half and five sixths of the way).
     */
    private Sampled sample(ClipPlanner.Clip clip) throws VideoException {
      double length = clip.end() - clip.start();
      double span = Math.min(options.windowSeconds(), length);
      int views = length > span ? options.views() : 1;
      byte[] picked = new byte[views * modelFrames * frameBytes];
      double motion = Double.NaN;
      for (int v = 0; v < views; v++) {
        double from = clip.start() + (length - span) * (v + 0.5) / views;
        Frames window = window(from, from + span);
        FrameSampler.copy(window.rgb(), 0, frameBytes, FrameSampler.indices(window.count(), modelFrames, 0, null),
            picked, v * modelFrames * frameBytes);
        if (2 * v == views - 1) {
          motion = motion(window);
        }
      }
      if (Double.isNaN(motion)) {
        // An even number of views has no middle one; the score stays that of the middle window.
        double from = clip.start() + (length - span) / 2;
        motion = motion(window(from, from + span));
      }
      return new Sampled(clip, picked, views, motion, seeking);
    }

    private Frames window(double from, double to) throws VideoException {
      return seeking ? reader.read(from, to, windowSpec) : kept.window(from, to, options.sampleFps(), reader, info);
    }

    private double motion(Frames window) {
      return MotionStats.of(window.rgb(), window.count(), frameBytes, options.sampleFps(), 1).motion();
    }
  }

  /** Decoded frames and their timestamps, from shortly before the open scene on, within a byte limit. */
  private static final class Kept {
    final int width;
    final int height;
    final int frameBytes;
    final long maxBytes;
    final List<byte[]> frames = new ArrayList<>();
    long[] ptsUs = new long[256];
    int count;

    Kept(int width, int height, long maxBytes) {
      this.width = width;
      this.height = height;
      this.frameBytes = width * height * 3;
      this.maxBytes = maxBytes;
    }

    boolean full() {
      return (long) (count + 1) * frameBytes > maxBytes;
    }

    void add(double t, byte[] rgb) {
      if (count == ptsUs.length) {
        ptsUs = Arrays.copyOf(ptsUs, count * 2);
      }
      ptsUs[count++] = Math.round(t * 1e6);
      frames.add(rgb.clone());
    }

    void clear() {
      frames.clear();
      count = 0;
    }

    /**
     * Lets go of the frames before {@code seconds} but the last of them: a window starting there
     * shows the frame on screen at that instant, and the resampling rule reads it from the frames
     * it is given, so one frame of margin keeps every later window equal to a whole-video pick.
     */
    void dropBefore(double seconds) {
      long us = Math.round(seconds * 1e6);
      int k = 0;
      while (k < count && ptsUs[k] < us) {
        k++;
      }
      int drop = Math.max(0, k - 1);
      if (drop > 0) {
        frames.subList(0, drop).clear();
        System.arraycopy(ptsUs, drop, ptsUs, 0, count - drop);
        count -= drop;
      }
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
