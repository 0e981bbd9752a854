package ying.core.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;
import ying.core.io.Storage;

/**
 * Encodes RGB frames to an H.264 MP4 (yuv420p, moov atom first) that ffprobe and browsers play,
 * optionally muxing in an audio track from a file. Writes to a local temp file, then moves the
 * finished file to its URI, so a reader never sees a half-written video.
 */
public final class VideoWriter implements AutoCloseable {
  static {
    FfmpegRuntime.init();
  }

  private final Storage storage;
  private final String uri;
  private final int width;
  private final int height;
  private final double fps;
  private final Path tmp;
  private final FFmpegFrameRecorder recorder;
  private final ByteBuffer frameBuffer;
  private final String audioUri;
  private int frames;
  private boolean finished;

  private VideoWriter(Storage storage, String uri, int width, int height, double fps, String audioUri)
      throws VideoException {
    if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
      // yuv420p halves the chroma planes, so odd sizes cannot be represented.
      throw new IllegalArgumentException("H.264 yuv420p needs an even, positive size; got " + width + "x" + height);
    }
    if (!(fps > 0)) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    this.storage = storage;
    this.uri = uri;
    this.width = width;
    this.height = height;
    this.fps = fps;
    this.audioUri = audioUri;
    try {
      this.tmp = Files.createTempFile("ying-out-", ".mp4");
    } catch (IOException e) {
      throw new VideoException(VideoException.Kind.IO, uri, "no temp space: " + e.getMessage(), e);
    }
    this.frameBuffer = ByteBuffer.allocateDirect(width * height * 3);
    this.recorder = new FFmpegFrameRecorder(tmp.toFile(), width, height, audioUri == null ? 0 : 2);
    recorder.setFormat("mp4");
    recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    recorder.setFrameRate(fps);
    // A keyframe every two seconds keeps seeks into the file cheap.
    recorder.setGopSize(Math.max(1, (int) Math.round(2 * fps)));
    // About 1.5 bits per pixel per frame: generous for small frames, so decoding is near-lossless.
    recorder.setVideoBitrate((int) Math.min(50_000_000, Math.max(200_000, 1.5 * width * height * fps)));
    recorder.setVideoOption("threads", "1");
    recorder.setOption("movflags", "+faststart");
    if (audioUri != null) {
      recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
      recorder.setSampleRate(44_100);
      recorder.setAudioBitrate(128_000);
    }
    try {
      recorder.start();
    } catch (FrameRecorder.Exception e) {
      cleanup();
      throw new VideoException(VideoException.Kind.ENCODE, uri, VideoReader.firstLine(e.getMessage()), e);
    }
  }

  /** A writer for a silent video. */
  public static VideoWriter create(Storage storage, String uri, int width, int height, double fps)
      throws VideoException {
    return new VideoWriter(storage, uri, width, height, fps, null);
  }

  /** A writer that muxes the audio of {@code audioUri} (any FFmpeg-readable file), cut to the video's length. */
  public static VideoWriter createWithAudio(Storage storage, String uri, int width, int height, double fps,
      String audioUri) throws VideoException {
    return new VideoWriter(storage, uri, width, height, fps, audioUri);
  }

  /** Appends one {@code H*W*3} RGB frame. */
  public void write(byte[] rgb) throws VideoException {
    write(rgb, 0);
  }

  /** Appends the frame that starts at {@code offset} in a packed THWC buffer. */
  public void write(byte[] rgb, int offset) throws VideoException {
    frameBuffer.clear();
    frameBuffer.put(rgb, offset, width * height * 3);
    frameBuffer.flip();
    try {
      recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 3, width * 3, avutil.AV_PIX_FMT_RGB24, frameBuffer);
      frames++;
    } catch (FrameRecorder.Exception e) {
      throw new VideoException(VideoException.Kind.ENCODE, uri, VideoReader.firstLine(e.getMessage()), e);
    }
  }

  public void writeAll(Frames clip) throws VideoException {
    if (clip.width() != width || clip.height() != height) {
      throw new IllegalArgumentException("clip is " + clip.width() + "x" + clip.height() + ", writer " + width + "x" + height);
    }
    for (int i = 0; i < clip.count(); i++) {
      write(clip.rgb(), i * clip.frameBytes());
    }
  }

  /** Finishes the file (muxing audio if asked) and moves it to its URI. */
  public void finish() throws VideoException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      if (frames == 0) {
        throw new VideoException(VideoException.Kind.ENCODE, uri, "no frames were written");
      }
      if (audioUri != null) {
        muxAudio(frames / fps);
      }
      recorder.stop();
      recorder.release();
      storage.putAtomically(tmp, uri);
    } catch (IOException e) {
      throw new VideoException(VideoException.Kind.ENCODE, uri, VideoReader.firstLine(e.getMessage()), e);
    } finally {
      cleanup();
    }
  }

  private void muxAudio(double seconds) throws VideoException {
    try (Storage.LocalFile audio = storage.localCopy(audioUri);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(audio.path().toFile())) {
      grabber.setSampleRate(44_100);
      grabber.setAudioChannels(2);
      grabber.start();
      if (!grabber.hasAudio()) {
        throw new VideoException(VideoException.Kind.NO_FRAMES, audioUri, "no audio stream to mux");
      }
      long endUs = Math.round(seconds * 1e6);
      Frame samples;
      while ((samples = grabber.grabSamples()) != null && grabber.getTimestamp() < endUs) {
        recorder.recordSamples(samples.sampleRate, samples.audioChannels, samples.samples);
      }
    } catch (IOException e) {
      throw new VideoException(VideoException.Kind.ENCODE, audioUri, "audio: " + VideoReader.firstLine(e.getMessage()), e);
    }
  }

  public int framesWritten() {
    return frames;
  }

  /** Abandons an unfinished file: nothing appears at the URI. */
  @Override
  public void close() {
    if (!finished) {
      finished = true;
      try {
        recorder.stop();
      } catch (Exception ignored) {
        // Abandoning: the temp file is deleted below either way.
      }
    }
    cleanup();
  }

  private void cleanup() {
    try {
      recorder.release();
    } catch (Exception ignored) {
      // Already released.
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // Temp dir cleaner takes it.
    }
  }
}
