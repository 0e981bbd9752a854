package ying.core.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.io.Storage;

/**
 * Resampling frames already in memory must give what a seek-and-read of the same range gives, so
 * the caption job can decode a video once and cut its clips' windows out of memory.
 */
class ConstantRateTest {
  @TempDir Path dir;
  private final Storage storage = Storage.local();

  @Test
  void picksTheFrameOnScreenAtEachTarget() {
    long[] pts = {0, 100_000, 200_000, 300_000}; // 10 fps, 4 frames
    // 20 fps from 0.05 s: each source frame shows twice, the first target falls on frame 0.
    assertArrayEquals(new int[] {0, 1, 1, 2, 2, 3, 3}, ConstantRate.pick(pts, 4, 0.05, 10, 20, 0.1, 0.4));
    // 5 fps: every second frame; the range's end is exclusive.
    assertArrayEquals(new int[] {0, 2}, ConstantRate.pick(pts, 4, 0, 0.4, 5, 0.1, 0.4));
    // Targets before the first frame show the first frame; none after the last one's screen time.
    assertArrayEquals(new int[] {0, 0, 0, 1}, ConstantRate.pick(new long[] {150_000, 250_000}, 2, 0, 10, 10, 0.1, 0.35));
    // Within the 1 ms slack a target takes the frame just after it (Matroska's millisecond timestamps).
    assertArrayEquals(new int[] {1}, ConstantRate.pick(new long[] {0, 100_900}, 2, 0.1, 0.2, 10, 0.1, 0.2));
    assertArrayEquals(new int[0], ConstantRate.pick(pts, 0, 0, 1, 10, 0.1, 0.4));
    assertThrows(IllegalArgumentException.class, () -> new ConstantRate(0, 1, 0));
  }

  @Test
  void inMemoryWindowsEqualSeekAndReadOnConstantAndVariableRateVideo() throws Exception {
    Path cfr = dir.resolve("counting.mp4");
    VideoWriterTest.writeCountingVideo(storage, cfr, 80, 16); // 5 s at 16 fps, keyframes every 2 s
    Path vfr = dir.resolve("vfr.mp4");
    Ffmpeg.run("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=4", "-vf",
        "select='lt(mod(n\\,5)\\,2)+gte(t\\,2)'", "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p",
        vfr.toString());
    Path mkv = dir.resolve("ms.mkv"); // Matroska: millisecond timestamps at 24 fps
    Ffmpeg.run("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=24:duration=3", "-c:v", "libx264", "-pix_fmt",
        "yuv420p", mkv.toString());
    double[][] ranges = {{0, 6.125}, {0.3, 2.1}, {1.99, 4.0}, {2.5, 3.7}, {3.0, 100}, {0.04, 0.3}};
    int compared = 0;
    for (Path file : new Path[] {cfr, vfr, mkv}) {
      try (VideoReader reader = VideoReader.open(storage, file.toString())) {
        Frames all = reader.readAll(FrameSpec.of(0, 48, 32));
        long[] pts = Arrays.stream(all.timestamps()).mapToLong(t -> Math.round(t * 1e6)).toArray();
        for (double fps : new double[] {8, 5, 30}) {
          for (double[] r : ranges) {
            if (r[0] >= reader.info().durationSeconds()) {
              continue;
            }
            Frames read = reader.read(r[0], r[1], FrameSpec.of(fps, 48, 32));
            int[] picks = ConstantRate.pick(pts, all.count(), r[0], r[1], fps, reader.nativeFrameSeconds(),
                reader.info().durationSeconds());
            String what = file.getFileName() + " [" + r[0] + ", " + r[1] + ") at " + fps + " fps";
            assertEquals(read.count(), picks.length, what);
            for (int k = 0; k < picks.length; k++) {
              assertArrayEquals(read.frame(k), all.frame(picks[k]), what + ": frame " + k);
            }
            compared += picks.length;
          }
        }
      }
    }
    assertEquals(true, compared > 500, "compared " + compared + " frames");
  }
}
