package ying.core.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import ying.core.io.Storage;

/**
 * Decodes any FFmpeg-readable video from any storage URI into RGB {@code uint8} frames at a
 * requested rate and size. Opening probes the file; {@link #read} seeks to the start of a range
 * before decoding it, so a clip late in a long file costs about one GOP, not the whole prefix.
 */
public final class VideoReader implements AutoCloseable {
  /** Frames larger than this are refused: 8K is the most any input here should need. */
  public static final long MAX_PIXELS = 8192L * 8192L;

  // A decoder that stalls on hostile input should give up rather than spin for ever.
  private static final int MAX_EMPTY_GRABS = 10_000;

  static {
    FfmpegRuntime.init();
  }

  private final String uri;
  private final Storage.LocalFile local;
  private final FFmpegFrameGrabber grabber;
  private final VideoInfo info;
  private final int rawWidth;
  private final int rawHeight;
  private long framesDecoded;

  private VideoReader(String uri, Storage.LocalFile local, FFmpegFrameGrabber grabber, VideoInfo info) {
    this.uri = uri;
    this.local = local;
    this.grabber = grabber;
    this.info = info;
    this.rawWidth = grabber.getImageWidth();
    this.rawHeight = grabber.getImageHeight();
  }

  /** Opens with one decoding thread: Spark runs one task per core, so more threads only contend. */
  public static VideoReader open(Storage storage, String uri) throws VideoException {
    return open(storage, uri, 1);
  }

  public static VideoReader open(Storage storage, String uri, int decoderThreads) throws VideoException {
    Storage.LocalFile local = fetch(storage, uri);
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(local.path().toFile());
    try {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      grabber.setVideoOption("threads", Integer.toString(decoderThreads));
      grabber.setImageScalingFlags(org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR);
      try {
        grabber.start();
      } catch (FrameGrabber.Exception e) {
        VideoException.Kind kind = looksLikeMediaContainer(local.path())
            ? VideoException.Kind.CORRUPT : VideoException.Kind.NOT_A_VIDEO;
        throw new VideoException(kind, uri, firstLine(e.getMessage()), e);
      }
      if (!grabber.hasVideo()) {
        throw new VideoException(VideoException.Kind.NO_VIDEO_STREAM, uri,
            grabber.hasAudio() ? "audio only" : "no streams FFmpeg can decode");
      }
      VideoInfo info = describe(uri, grabber);
      if (info.width() <= 0 || info.height() <= 0) {
        throw new VideoException(VideoException.Kind.BAD_DIMENSIONS, uri, info.width() + "x" + info.height());
      }
      if ((long) info.width() * info.height() > MAX_PIXELS) {
        throw new VideoException(VideoException.Kind.TOO_LARGE, uri,
            info.width() + "x" + info.height() + " exceeds " + MAX_PIXELS + " pixels");
      }
      return new VideoReader(uri, local, grabber, info);
    } catch (VideoException | RuntimeException e) {
      releaseQuietly(grabber);
      local.close();
      throw e;
    }
  }

  /** Probes a video: opens it, reads the container's description, closes it. */
  public static VideoInfo probe(Storage storage, String uri) throws VideoException {
    try (VideoReader reader = open(storage, uri)) {
      return reader.info();
    }
  }

  private static Storage.LocalFile fetch(Storage storage, String uri) throws VideoException {
    try {
      FileStatus status = storage.statusOrNull(uri);
      if (status == null) {
        throw new VideoException(VideoException.Kind.NOT_FOUND, uri, null);
      }
      if (status.isDirectory()) {
        throw new VideoException(VideoException.Kind.NOT_A_VIDEO, uri, "a directory");
      }
      if (status.getLen() == 0) {
        throw new VideoException(VideoException.Kind.EMPTY, uri, null);
      }
      Storage.LocalFile local = storage.localCopy(uri);
      if (!Files.isReadable(local.path())) {
        local.close();
        throw new VideoException(VideoException.Kind.IO, uri, "not readable");
      }
      return local;
    } catch (IOException | IllegalArgumentException e) {
      throw new VideoException(VideoException.Kind.IO, uri, firstLine(e.getMessage()), e);
    }
  }

  /**
   * Whether the file starts like a container FFmpeg knows (MP4/MOV, Matroska/WebM, AVI, Ogg, FLV),
   * which tells a damaged video apart from a file that never was one.
   */
  static boolean looksLikeMediaContainer(java.nio.file.Path file) {
    byte[] head = new byte[12];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, head.length) < head.length) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    String ascii = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
    boolean ebml = (head[0] & 0xff) == 0x1A && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xDF
        && (head[3] & 0xff) == 0xA3;
    return ascii.startsWith("ftyp", 4) || ebml || ascii.startsWith("RIFF") || ascii.startsWith("OggS")
        || ascii.startsWith("FLV");
  }

  private static VideoInfo describe(String uri, FFmpegFrameGrabber g) {
    int rotation = clockwiseRotation(g.getDisplayRotation());
    boolean swap = rotation == 90 || rotation == 270;
    int w = swap ? g.getImageHeight() : g.getImageWidth();
    int h = swap ? g.getImageWidth() : g.getImageHeight();
    double fps = g.getVideoFrameRate();
    double duration = videoStreamSeconds(g);
    if (duration <= 0) {
      duration = Math.max(0, g.getLengthInTime()) / 1e6;
    }
    long frames = g.getLengthInVideoFrames();
    if (frames <= 0 && fps > 0) {
      frames = Math.round(duration * fps);
    }
    String codec = avcodec.avcodec_get_name(g.getVideoCodec()).getString();
    return new VideoInfo(uri, g.getFormat(), codec, w, h, fps, duration, frames, rotation, g.hasAudio());
  }

  /**
   * The video stream's own duration: the container's is the longest stream's, and a longer audio
   * track would otherwise make a complete video look truncated.
   */
  private static double videoStreamSeconds(FFmpegFrameGrabber g) {
    org.bytedeco.ffmpeg.avformat.AVFormatContext fc = g.getFormatContext();
    for (int i = 0; i < fc.nb_streams(); i++) {
      org.bytedeco.ffmpeg.avformat.AVStream st = fc.streams(i);
      if (st.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO && st.duration() > 0
          && st.duration() != avutil.AV_NOPTS_VALUE) {
        return st.duration() * avutil.av_q2d(st.time_base());
      }
    }
    return 0;
  }

  /**
   * JavaCV reports the display matrix's angle counter-clockwise (as av_display_rotation_get does);
   * Ying speaks of the clockwise turn a player applies.
   */
  static int clockwiseRotation(double counterClockwiseDegrees) {
    if (Double.isNaN(counterClockwiseDegrees)) {
      return 0;
    }
    int cw = (int) Math.round(-counterClockwiseDegrees);
    cw = ((cw % 360) + 360) % 360;
    return (int) (Math.round(cw / 90.0) * 90) % 360;
  }

  public VideoInfo info() {
    return info;
  }

  /** How long one frame is shown at the stream's nominal rate (1/25 s when the container gives none). */
  public double nativeFrameSeconds() {
    return info.fps() > 0 ? 1.0 / info.fps() : 1.0 / 25;
  }

  /** Frames this reader has pulled from the decoder so far (seeking skips the ones before). */
  public long framesDecoded() {
    return framesDecoded;
  }

  /** Reads {@code [startSeconds, endSeconds)} into one packed array. */
  public Frames read(double startSeconds, double endSeconds, FrameSpec spec) throws VideoException {
    int[] size = outputSize(spec);
    int frameBytes = size[0] * size[1] * 3;
    java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
    double[][] times = {new double[64]};
    int[] count = {0};
    stream(startSeconds, endSeconds, spec, (i, t, rgb) -> {
      pixels.write(rgb, 0, frameBytes);
      if (count[0] == times[0].length) {
        times[0] = java.util.Arrays.copyOf(times[0], count[0] * 2);
      }
      times[0][count[0]++] = t;
    });
    if (count[0] == 0) {
      throw new VideoException(VideoException.Kind.NO_FRAMES, uri,
          String.format(Locale.ROOT, "nothing in [%.3f, %.3f) s of a %.3f s video", startSeconds, endSeconds,
              info.durationSeconds()));
    }
    return new Frames(count[0], size[1], size[0], pixels.toByteArray(), java.util.Arrays.copyOf(times[0], count[0]));
  }

  /** Reads the whole video. */
  public Frames readAll(FrameSpec spec) throws VideoException {
    return read(0, Double.POSITIVE_INFINITY, spec);
  }

  /** Output width and height for {@code spec} on this video. */
  public int[] outputSize(FrameSpec spec) {
    return spec.keepsNativeSize() ? new int[] {info.width(), info.height()} : new int[] {spec.width(), spec.height()};
  }

  /**
   * Streams {@code [startSeconds, endSeconds)} to {@code sink}. With a target fps, output frame k is
   * the one on screen at {@code start + k/fps} ({@link ConstantRate}).
   */
  public int stream(double startSeconds, double endSeconds, FrameSpec spec, FrameConsumer sink) throws VideoException {
    if (!(endSeconds > startSeconds) || startSeconds < 0 || Double.isNaN(startSeconds)) {
      throw new IllegalArgumentException("bad time range [" + startSeconds + ", " + endSeconds + ")");
    }
    Geometry geo = geometry(spec);
    grabber.setImageWidth(geo.scaledRawWidth);
    grabber.setImageHeight(geo.scaledRawHeight);
    double nativeFrame = nativeFrameSeconds();
    long startUs = Math.round(startSeconds * 1e6);
    long endUs = Double.isInfinite(endSeconds) ? Long.MAX_VALUE : Math.round(endSeconds * 1e6);
    seek(startSeconds, nativeFrame);

    byte[] current = new byte[geo.outWidth * geo.outHeight * 3];
    byte[] previous = new byte[current.length];
    boolean havePrevious = false;
    long previousUs = Long.MIN_VALUE;
    long lastUs = Long.MIN_VALUE;
    int emitted = 0;
    int empty = 0;
    boolean resample = !spec.keepsNativeRate();
    ConstantRate rate = resample ? new ConstantRate(startSeconds, endSeconds, spec.fps()) : null;
    try {
      while (true) {
        Frame frame = grabber.grabImage();
        if (frame == null) {
          break;
        }
        if (frame.image == null) {
          if (++empty > MAX_EMPTY_GRABS) {
            throw new VideoException(VideoException.Kind.NO_FRAMES, uri, "decoder returned no image " + empty + " times");
          }
          continue;
        }
        framesDecoded++;
        long ptsUs = grabber.getTimestamp();
        if (ptsUs < lastUs) {
          ptsUs = lastUs; // a few muxers emit non-monotonic pts; never step backwards in time
        }
        lastUs = ptsUs;
        if (!resample) {
          if (ptsUs + ConstantRate.SLACK_US < startUs) {
            continue;
          }
          if (ptsUs >= endUs) {
            break;
          }
          geo.render(frame, current);
          sink.accept(emitted++, ptsUs / 1e6, current);
          continue;
        }
        // Every target time before this frame shows the previous frame; none before the first frame.
        while (havePrevious && rate.due(ptsUs)) {
          sink.accept(emitted++, rate.nextSeconds(), previous);
          rate.advance();
        }
        if (rate.done()) {
          break;
        }
        geo.render(frame, current);
        byte[] swap = previous;
        previous = current;
        current = swap;
        havePrevious = true;
        previousUs = ptsUs;
      }
      if (resample && havePrevious) {
        long shownUntil = ConstantRate.shownUntilUs(previousUs, nativeFrame, info.durationSeconds());
        while (rate.due(shownUntil)) {
          sink.accept(emitted++, rate.nextSeconds(), previous);
          rate.advance();
        }
      }
    } catch (FrameGrabber.Exception e) {
      throw new VideoException(VideoException.Kind.IO, uri, firstLine(e.getMessage()), e);
    }
    checkNotTruncated(lastUs, endSeconds, nativeFrame);
    return emitted;
  }

  private void seek(double startSeconds, double nativeFrame) throws VideoException {
    try {
      if (startSeconds > 0) {
        // Land one frame early so the frame already on screen at the start time is decoded too.
        grabber.setVideoTimestamp(Math.max(0, Math.round((startSeconds - 2 * nativeFrame) * 1e6)));
      } else if (framesDecoded > 0) {
        grabber.setVideoTimestamp(0);
      }
    } catch (FrameGrabber.Exception e) {
      throw new VideoException(VideoException.Kind.IO, uri, "seek failed: " + firstLine(e.getMessage()), e);
    }
  }

  /** A stream that stops well before the container's declared end was cut short. */
  private void checkNotTruncated(long lastUs, double endSeconds, double nativeFrame) throws VideoException {
    double declared = info.durationSeconds();
    if (declared <= 0 || lastUs == Long.MIN_VALUE) {
      return;
    }
    double lastSeen = lastUs / 1e6 + nativeFrame;
    double wanted = Math.min(endSeconds, declared);
    double tolerance = Math.max(0.5, 3 * nativeFrame);
    if (wanted - lastSeen > tolerance) {
      throw new VideoException(VideoException.Kind.TRUNCATED, uri, String.format(Locale.ROOT,
          "frames stop at %.2f s of a declared %.2f s", lastSeen, declared));
    }
  }

  private Geometry geometry(FrameSpec spec) {
    int rotation = info.rotation();
    boolean swap = rotation == 90 || rotation == 270;
    int dispW = info.width();
    int dispH = info.height();
    int outW = spec.keepsNativeSize() ? dispW : spec.width();
    int outH = spec.keepsNativeSize() ? dispH : spec.height();
    // Scale the displayed picture to cover the output box, then crop the centre.
    double scale = Math.max((double) outW / dispW, (double) outH / dispH);
    int coverW = Math.max(outW, (int) Math.round(dispW * scale));
    int coverH = Math.max(outH, (int) Math.round(dispH * scale));
    return new Geometry(swap ? coverH : coverW, swap ? coverW : coverH, coverW, coverH, outW, outH, rotation);
  }

  /** Decoded raw frame -> rotated, centre-cropped RGB output. */
  private static final class Geometry {
    final int scaledRawWidth;
    final int scaledRawHeight;
    final int outWidth;
    final int outHeight;
    final int rotation;
    final int cropX;
    final int cropY;

    Geometry(int rawW, int rawH, int coverW, int coverH, int outW, int outH, int rotation) {
      this.scaledRawWidth = rawW;
      this.scaledRawHeight = rawH;
      this.outWidth = outW;
      this.outHeight = outH;
      this.rotation = rotation;
      this.cropX = (coverW - outW) / 2;
      this.cropY = (coverH - outH) / 2;
    }

    void render(Frame frame, byte[] out) {
      ByteBuffer src = (ByteBuffer) frame.image[0];
      int stride = frame.imageStride;
      if (rotation == 0) {
        int rowBytes = outWidth * 3;
        for (int y = 0; y < outHeight; y++) {
          src.get((y + cropY) * stride + cropX * 3, out, y * rowBytes, rowBytes);
        }
        return;
      }
      // (x, y) in the displayed, cropped picture comes from raw (rx, ry) of the scaled raw frame.
      int o = 0;
      for (int y = 0; y < outHeight; y++) {
        int dy = y + cropY;
        for (int x = 0; x < outWidth; x++) {
          int dx = x + cropX;
          int rx;
          int ry;
          switch (rotation) {
            case 90 -> { rx = dy; ry = scaledRawHeight - 1 - dx; }
            case 180 -> { rx = scaledRawWidth - 1 - dx; ry = scaledRawHeight - 1 - dy; }
            default -> { rx = scaledRawWidth - 1 - dy; ry = dx; } // 270
          }
          int at = ry * stride + rx * 3;
          out[o++] = src.get(at);
          out[o++] = src.get(at + 1);
          out[o++] = src.get(at + 2);
        }
      }
    }
  }

  @Override
  public void close() {
    releaseQuietly(grabber);
    local.close();
  }

  private static void releaseQuietly(FFmpegFrameGrabber grabber) {
    try {
      grabber.close();
    } catch (Exception ignored) {
      // Nothing useful to do: the native context is freed or was never allocated.
    }
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
