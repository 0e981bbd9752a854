package ying.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.io.Storage;

/** Every kind of bad input is a typed {@link VideoException} within seconds: no crash, no hang. */
class BadInputTest {
  @TempDir Path dir;
  private final Storage storage = Storage.local();

  private VideoException.Kind failureOf(Path file) {
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      VideoException e = assertThrows(VideoException.class, () -> {
        try (VideoReader reader = VideoReader.open(storage, file.toString())) {
          reader.readAll(FrameSpec.of(8, 32, 32));
        }
      });
      assertTrue(e.getMessage().contains(file.toString()), "the message names the input: " + e.getMessage());
      return e.kind();
    });
  }

  private Path h264(String name, String... extra) {
    Path out = dir.resolve(name);
    String[] args = {"-f", "lavfi", "-i", "testsrc2=size=128x96:rate=16:duration=4", "-c:v", "libx264", "-pix_fmt",
        "yuv420p"};
    String[] all = Arrays.copyOf(args, args.length + extra.length + 1);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    all[all.length - 1] = out.toString();
    Ffmpeg.run(all);
    return out;
  }

  private static Path truncate(Path file, double keep) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    Path cut = file.resolveSibling("cut-" + file.getFileName());
    Files.write(cut, Arrays.copyOf(bytes, (int) (bytes.length * keep)));
    return cut;
  }

  @Test
  void missingFileIsNotFound() {
    assertEquals(VideoException.Kind.NOT_FOUND, failureOf(dir.resolve("nope.mp4")));
  }

  @Test
  void emptyFileIsEmpty() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    assertEquals(VideoException.Kind.EMPTY, failureOf(empty));
  }

  @Test
  void textFileNamedMp4IsNotAVideo() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.mp4"), "these are not the frames you are looking for\n".repeat(50));
    assertEquals(VideoException.Kind.NOT_A_VIDEO, failureOf(text));
  }

  @Test
  void directoryIsNotAVideo() throws Exception {
    assertEquals(VideoException.Kind.NOT_A_VIDEO, failureOf(Files.createDirectory(dir.resolve("folder.mp4"))));
  }

  @Test
  void audioOnlyFileHasNoVideoStream() {
    Path audio = dir.resolve("song.m4a");
    Ffmpeg.run("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", audio.toString());
    assertEquals(VideoException.Kind.NO_VIDEO_STREAM, failureOf(audio));
  }

  @Test
  void mp4CutBeforeItsIndexIsCorrupt() throws Exception {
    // Without +faststart the moov index is at the end, so half a file has no index at all.
    assertEquals(VideoException.Kind.CORRUPT, failureOf(truncate(h264("tail-index.mp4"), 0.5)));
  }

  @Test
  void faststartMp4CutShortIsTruncated() throws Exception {
    Path file = h264("front-index.mp4", "-movflags", "+faststart");
    assertEquals(VideoException.Kind.TRUNCATED, failureOf(truncate(file, 0.5)));
  }

  @Test
  void zeroByZeroVideoIsRefused() throws Exception {
    Path y4m = dir.resolve("zero.y4m");
    Files.write(y4m, "YUV4MPEG2 W0 H0 F25:1 Ip A1:1 C420jpeg\nFRAME\n".getBytes(StandardCharsets.US_ASCII));
    VideoException.Kind kind = failureOf(y4m);
    assertTrue(kind == VideoException.Kind.BAD_DIMENSIONS || kind == VideoException.Kind.NOT_A_VIDEO, kind.toString());
  }

  @Test
  void randomBytesAreNotAVideo() throws Exception {
    byte[] noise = new byte[200_000];
    new java.util.Random(7).nextBytes(noise);
    Path file = Files.write(dir.resolve("noise.mkv"), noise);
    VideoException.Kind kind = failureOf(file);
    assertTrue(kind == VideoException.Kind.NOT_A_VIDEO || kind == VideoException.Kind.NO_VIDEO_STREAM, kind.toString());
  }

  @Test
  void oneFrameVideoReadsAsOneFrame() throws Exception {
    Path still = dir.resolve("still.mp4");
    Ffmpeg.run("-f", "lavfi", "-i", "testsrc2=size=128x96:rate=16", "-frames:v", "1", "-c:v", "libx264", "-pix_fmt",
        "yuv420p", still.toString());
    try (VideoReader reader = VideoReader.open(storage, still.toString())) {
      assertEquals(1, reader.info().frameCount());
      assertEquals(1, reader.readAll(FrameSpec.nativeFrames()).count());
      assertEquals(1, reader.readAll(FrameSpec.of(8, 32, 32)).count(), "one frame is shown for one frame time");
    }
  }

  @Test
  void rangePastTheEndIsNoFrames() throws Exception {
    Path file = h264("short.mp4");
    try (VideoReader reader = VideoReader.open(storage, file.toString())) {
      VideoException e = assertThrows(VideoException.class, () -> reader.read(10, 12, FrameSpec.of(8, 32, 32)));
      assertEquals(VideoException.Kind.NO_FRAMES, e.kind());
    }
  }

  @Test
  void hostilePathsAreReadLiterally() throws Exception {
    Path file = h264("ok.mp4");
    Path odd = dir.resolve("spaces and ünïcödé [1] #x.mp4");
    Files.copy(file, odd);
    try (VideoReader reader = VideoReader.open(storage, odd.toString())) {
      assertEquals(64, reader.readAll(FrameSpec.nativeFrames()).count());
    }
  }
}
