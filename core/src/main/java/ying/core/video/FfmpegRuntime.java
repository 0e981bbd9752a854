package ying.core.video;

import org.bytedeco.ffmpeg.global.avutil;

/** One-time set-up of the bundled FFmpeg libraries, shared by the reader and the writer. */
final class FfmpegRuntime {
  private FfmpegRuntime() {}

  static {
    // FFmpeg's console chatter duplicates the typed errors Ying raises; keep only fatal lines.
    avutil.av_log_set_level(avutil.AV_LOG_FATAL);
  }

  /** Touching this class runs the static set-up exactly once. */
  static void init() {}
}
