package ying.core.video;

import java.util.stream.IntStream;

/**
 * Resampling to a constant frame rate: output frame k of a range starting at {@code start} is the
 * decoded frame on screen at {@code start + k/fps}, the latest one whose timestamp is not after it,
 * so variable-rate input comes out at a constant rate without invented frames. {@link VideoReader}
 * applies it while decoding; {@link #pick} applies the same rule to frames already in memory, so a
 * caller that decoded a whole video once can cut any number of ranges out of it.
 */
public final class ConstantRate {
  /** Matroska rounds timestamps to the millisecond; targets within that of a frame match it. */
  static final long SLACK_US = 1000;

  private final double startSeconds;
  private final double fps;
  private final long endUs;
  private int emitted;
  private long nextUs;

  /** Targets in {@code [startSeconds, endSeconds)} ({@code endSeconds} may be infinite) at {@code fps}. */
  public ConstantRate(double startSeconds, double endSeconds, double fps) {
    if (!(fps > 0)) {
      throw new IllegalArgumentException("fps must be > 0, got " + fps);
    }
    this.startSeconds = startSeconds;
    this.fps = fps;
    this.endUs = Double.isInfinite(endSeconds) ? Long.MAX_VALUE : Math.round(endSeconds * 1e6);
    this.nextUs = Math.round(startSeconds * 1e6);
  }

  /** Whether the next target falls before {@code untilUs}: it shows the frame on screen before then. */
  boolean due(long untilUs) {
    return nextUs < endUs && nextUs + SLACK_US < untilUs;
  }

  /** Whether every target of the range has been emitted. */
  boolean done() {
    return nextUs >= endUs;
  }

  double nextSeconds() {
    return nextUs / 1e6;
  }

  void advance() {
    emitted++;
    nextUs = Math.round((startSeconds + emitted / fps) * 1e6);
  }

  /**
   * How long the last frame of a stream stays on screen: one native frame, or until the stream's
   * declared end when that comes first.
   */
  static long shownUntilUs(long lastPtsUs, double nativeFrameSeconds, double declaredSeconds) {
    long shownUntil = lastPtsUs + Math.round(nativeFrameSeconds * 1e6);
    long declaredEndUs = Math.round(declaredSeconds * 1e6);
    return declaredEndUs > lastPtsUs ? Math.min(shownUntil, declaredEndUs) : shownUntil;
  }

  /**
   * The frames of {@code [startSeconds, endSeconds)} at {@code fps}, as indices into a whole
   * stream's frames ({@code ptsUs}, non-decreasing, the first {@code count} entries): what
   * {@link VideoReader#read} with that range and rate would return for the same stream.
   * {@code nativeFrameSeconds} and {@code declaredSeconds} say how long the last frame is shown.
   */
  public static int[] pick(long[] ptsUs, int count, double startSeconds, double endSeconds, double fps,
      double nativeFrameSeconds, double declaredSeconds) {
    ConstantRate rate = new ConstantRate(startSeconds, endSeconds, fps);
    IntStream.Builder out = IntStream.builder();
    int previous = -1;
    for (int j = 0; j < count && !rate.done(); j++) {
      while (previous >= 0 && rate.due(ptsUs[j])) {
        out.add(previous);
        rate.advance();
      }
      if (!rate.done()) {
        previous = j;
      }
    }
    if (previous >= 0) {
      long shownUntil = shownUntilUs(ptsUs[previous], nativeFrameSeconds, declaredSeconds);
      while (rate.due(shownUntil)) {
        out.add(previous);
        rate.advance();
      }
    }
    return out.build().toArray();
  }
}
