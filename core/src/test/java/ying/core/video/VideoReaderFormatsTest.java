package ying.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ying.core.io.Storage;

/** Decodes what Debian's ffmpeg writes and compares every frame with ffmpeg's own decode. */
class VideoReaderFormatsTest {
  @TempDir static Path dir;
  private static final Storage storage = Storage.local();
  private static final String SOURCE = "testsrc2=size=160x96:rate=12:duration=2";

  record Case(String name, String codec, int width, int height, List<String> encodeArgs) {}

  static Stream<Arguments> formats() {
    return Stream.of(
        new Case("h264.mp4", "h264", 160, 96, List.of("-c:v", "libx264", "-pix_fmt", "yuv420p")),
        new Case("vp9.webm", "vp9", 160, 96, List.of("-c:v", "libvpx-vp9", "-b:v", "500k")),
        new Case("mpeg4.avi", "mpeg4", 160, 96, List.of("-c:v", "mpeg4", "-q:v", "2")),
        new Case("mjpeg.mov", "mjpeg", 160, 96, List.of("-c:v", "mjpeg", "-q:v", "2")),
        new Case("hevc.mkv", "hevc", 160, 96, List.of("-c:v", "libx265", "-x265-params", "log-level=error")),
        new Case("odd-97x61.mkv", "h264", 97, 61,
            List.of("-vf", "scale=97:61", "-c:v", "libx264", "-pix_fmt", "yuv444p")))
        .map(Arguments::of);
  }

  static Path make(Case c) {
    Path out = dir.resolve(c.name());
    List<String> args = new java.util.ArrayList<>(List.of("-f", "lavfi", "-i", SOURCE));
    args.addAll(c.encodeArgs());
    args.add(out.toString());
    Ffmpeg.run(args.toArray(String[]::new));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void decodesLikeFfmpegAtNativeSize(Case c) throws Exception {
    Path file = make(c);
    try (VideoReader reader = VideoReader.open(storage, file.toString())) {
      VideoInfo info = reader.info();
      assertEquals(c.codec(), info.codec());
      assertEquals(c.width(), info.width());
      assertEquals(c.height(), info.height());
      assertEquals(12.0, info.fps(), 0.01);
      assertEquals(2.0, info.durationSeconds(), 0.1);
      assertEquals(24, info.frameCount(), 1);
      Frames ours = reader.readAll(FrameSpec.nativeFrames());
      byte[] theirs = Ffmpeg.decodeRgb(file);
      assertEquals(theirs.length, ours.rgb().length, "same frame count and size as ffmpeg");
      // Same decoder; only the YUV->RGB conversion may differ by rounding.
      assertTrue(Ffmpeg.meanAbsDiff(ours.rgb(), 0, theirs, 0, theirs.length) < 2.0);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void resamplesAndCropsToTheRequestedShape(Case c) throws Exception {
    Path file = dir.resolve(c.name());
    if (!file.toFile().exists()) {
      file = make(c);
    }
    try (VideoReader reader = VideoReader.open(storage, file.toString())) {
      Frames clip = reader.readAll(FrameSpec.of(8, 48, 48));
      assertEquals(16, clip.count(), "2 s at 8 fps");
      assertEquals(48, clip.width());
      assertEquals(48, clip.height());
      for (int k = 0; k < clip.count(); k++) {
        assertEquals(k / 8.0, clip.timestamps()[k], 1e-3);
      }
    }
  }

  @Test
  void coverScaleAndCentreCropMatchFfmpegFilters() throws Exception {
    Path file = make(new Case("crop.mp4", "h264", 160, 96, List.of("-c:v", "libx264", "-pix_fmt", "yuv444p")));
    try (VideoReader reader = VideoReader.open(storage, file.toString())) {
      // 160x96 covering 64x64 scales to 107x64 and crops 21 columns from the left.
      Frames ours = reader.readAll(FrameSpec.of(0, 64, 64));
      byte[] theirs = Ffmpeg.decodeRgb(file, "-vf", "scale=107:64:flags=bilinear,crop=64:64:21:0");
      assertEquals(theirs.length, ours.rgb().length);
      assertTrue(Ffmpeg.meanAbsDiff(ours.rgb(), 0, theirs, 0, theirs.length) < 6.0);
    }
  }

  @Test
  void appliesRotationMetadataLikeFfmpeg() throws Exception {
    Path plain = make(new Case("unrotated.mp4", "h264", 160, 96, List.of("-c:v", "libx264", "-pix_fmt", "yuv420p")));
    for (int degrees : new int[] {90, 180, 270}) {
      Path rotated = dir.resolve("rotated-" + degrees + ".mp4");
      Ffmpeg.run("-i", plain.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=" + degrees, rotated.toString());
      try (VideoReader reader = VideoReader.open(storage, rotated.toString())) {
        VideoInfo info = reader.info();
        // The legacy "rotate" tag is counter-clockwise; VideoInfo reports the clockwise turn.
        assertEquals((360 - degrees) % 360, info.rotation());
        boolean swapped = degrees != 180;
        assertEquals(swapped ? 96 : 160, info.width());
        assertEquals(swapped ? 160 : 96, info.height());
        Frames ours = reader.readAll(FrameSpec.nativeFrames());
        byte[] theirs = Ffmpeg.decodeRgb(rotated);
        assertEquals(theirs.length, ours.rgb().length);
        assertTrue(Ffmpeg.meanAbsDiff(ours.rgb(), 0, theirs, 0, theirs.length) < 2.0,
            "orientation after " + degrees + " degrees matches ffmpeg's autorotate");
      }
    }
  }

  @Test
  void variableFrameRateComesOutEvenlySpacedWithoutGaps() throws Exception {
    Path vfr = dir.resolve("vfr.mp4");
    // Keep 2 of every 5 frames for the first 2 s, then all: irregular timestamps, and a gap-y start.
    Ffmpeg.run("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=4", "-vf",
        "select='lt(mod(n\\,5)\\,2)+gte(t\\,2)'", "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p",
        vfr.toString());
    try (VideoReader reader = VideoReader.open(storage, vfr.toString())) {
      Frames clip = reader.readAll(FrameSpec.of(10, 96, 64));
      assertEquals(40, clip.count(), "4 s at 10 fps");
      Frames raw = reader.readAll(FrameSpec.nativeFrames());
      assertEquals(20 + 50, raw.count(), "the decoder sees only the frames that were kept");
      for (int k = 1; k < clip.count(); k++) {
        assertEquals(0.1, clip.timestamps()[k] - clip.timestamps()[k - 1], 1e-3);
      }
    }
  }

  @Test
  void readsARangeBySeekingNotByDecodingThePrefix() throws Exception {
    Path file = dir.resolve("counting.mp4");
    VideoWriterTest.writeCountingVideo(storage, file, 80, 8); // 10 s, keyframe every 2 s
    try (VideoReader reader = VideoReader.open(storage, file.toString())) {
      Frames clip = reader.read(6.0, 7.0, FrameSpec.of(8, 64, 48));
      assertEquals(8, clip.count());
      for (int k = 0; k < 8; k++) {
        int source = 48 + k;
        assertEquals((source * 3) % 256, clip.pixel(k, 32, 24)[0], 6, "output frame " + k + " is source frame " + source);
        assertEquals(6.0 + k / 8.0, clip.timestamps()[k], 1e-3);
      }
      assertTrue(reader.framesDecoded() <= 8 + 16 + 2,
          "decoded " + reader.framesDecoded() + " frames; the 48 before the range were skipped by seeking");
    }
  }
}
