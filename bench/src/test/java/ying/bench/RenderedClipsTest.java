package ying.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.dataset.DatasetBatch;
import ying.core.io.Storage;
import ying.core.synth.CaptionGrammar;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;
import ying.core.video.FrameSpec;
import ying.core.video.Frames;
import ying.core.video.VideoReader;

class RenderedClipsTest {
  @TempDir Path dir;

  /** What the GPU trainer renders is what build-dataset decodes from synth's video, within the codec's error. */
  @Test
  void halvedRenderMatchesTheDecodedVideo() throws Exception {
    VideoPlan plan = new SyntheticWorld(3, WorldOptions.defaults().withSceneSeconds(2.5, 8)).video(0);
    Storage storage = Storage.local();
    String uri = dir.resolve("v.mp4").toUri().toString();
    plan.write(storage, uri);
    ScenePlan scene = plan.scenes().get(0);
    Frames decoded;
    try (VideoReader r = VideoReader.open(storage, uri)) {
      decoded = r.read(scene.startSeconds(), scene.startSeconds() + 2, FrameSpec.of(8, 96, 64));
    }
    byte[] frame = new byte[plan.width() * plan.height() * 3];
    byte[] halved = new byte[96 * 64 * 3];
    double rendered = 0;
    double nearest = 0;
    for (int t = 0; t < decoded.count(); t++) {
      plan.renderFrame(scene.startFrame() + 2 * t, frame);
      RenderedClips.halve(frame, plan.width(), plan.height(), halved, 0);
      byte[] d = decoded.frame(t);
      for (int y = 0; y < 64; y++) {
        for (int x = 0; x < 96; x++) {
          for (int c = 0; c < 3; c++) {
            int want = d[(y * 96 + x) * 3 + c] & 0xff;
            rendered += Math.abs((halved[(y * 96 + x) * 3 + c] & 0xff) - want);
            nearest += Math.abs((frame[(2 * y * plan.width() + 2 * x) * 3 + c] & 0xff) - want);
          }
        }
      }
    }
    int values = decoded.count() * 96 * 64 * 3;
    rendered /= values;
    nearest /= values;
    System.out.printf("decoded vs halved render: %.2f of 255; vs every second pixel: %.2f%n", rendered, nearest);
    assertEquals(16, decoded.count());
    assertTrue(rendered < 3, "halved render differs from the decoded clip by " + rendered + " of 255");
    assertTrue(rendered < nearest, "the triangle filter should beat plain decimation");
  }

  @Test
  void batchesDependOnTheSeedAloneNotOnTheThreadsOrTheTiming() throws Exception {
    RawClips raw = new RawClips(9, 64, 96, List.of(new byte[9 * 64 * 96 * 3], new byte[9 * 64 * 96 * 3]),
        List.of("a", "b"));
    int rendered = 0;
    try (RenderedClips one = new RenderedClips(7, 9, 3, 1, raw, 2, 0.3);
        RenderedClips four = new RenderedClips(7, 9, 3, 4, raw, 2, 0.3)) {
      // Timing the renderers must not shift the batches the trainer gets.
      assertTrue(four.secondsPerBatch() > 0);
      for (int i = 0; i < 5; i++) {
        DatasetBatch a = one.next();
        DatasetBatch b = four.next();
        assertEquals(a.clipIds(), b.clipIds());
        assertEquals(a.captions(), b.captions());
        assertArrayEquals(a.pixels(), b.pixels());
        assertEquals(9, a.frames());
        for (int j = 0; j < a.size(); j++) {
          boolean fromFile = a.clipIds().get(j).startsWith("raw-");
          // A rendered clip carries its scene's caption in the world's grammar; a raw one the file's.
          assertTrue(fromFile ? List.of("a", "b").contains(a.captions().get(j))
              : CaptionGrammar.parse(a.captions().get(j)).isPresent(), a.captions().get(j));
          rendered += fromFile ? 0 : 1;
        }
      }
    }
    assertTrue(rendered > 5 && rendered < 15, rendered + " of 15 clips rendered at a raw share of 0.3");
  }

  /** With raw clips at the world's own size, rendered clips keep it: the same clips as the halved ones, whole. */
  @Test
  void fullSizeRendersAreTheHalvedOnesBeforeHalving() throws Exception {
    RawClips small = new RawClips(5, 64, 96, List.of(new byte[5 * 64 * 96 * 3]), List.of("a"));
    RawClips full = new RawClips(5, 128, 192, List.of(new byte[5 * 128 * 192 * 3]), List.of("a"));
    try (RenderedClips halved = new RenderedClips(4, 5, 2, 1, small, 1, 0);
        RenderedClips whole = new RenderedClips(4, 5, 2, 1, full, 1, 0)) {
      DatasetBatch a = halved.next();
      DatasetBatch b = whole.next();
      assertEquals(a.captions(), b.captions());
      assertEquals(128, b.height());
      assertEquals(192, b.width());
      byte[] frame = new byte[96 * 64 * 3];
      int big = 192 * 128 * 3;
      for (int t = 0; t < 2 * 5; t++) {
        RenderedClips.halve(java.util.Arrays.copyOfRange(b.pixels(), t * big, (t + 1) * big), 192, 128, frame, 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(a.pixels(), t * frame.length, (t + 1) * frame.length), frame,
            "frame " + t);
      }
    }
  }

  /** A scene too short for a window is shown whole, as the caption job samples it; a long one at 8 fps. */
  @Test
  void shortScenesSpreadTheClipOverTheWholeScene() {
    int frames = 33;
    int span = (frames - 1) * 2 + 1;
    boolean sawShort = false;
    boolean sawLong = false;
    for (int v = 0; v < 20; v++) {
      for (ScenePlan s : new SyntheticWorld(5, WorldOptions.defaults().withSceneSeconds(2.5, 8)).video(v).scenes()) {
        int[] at = RenderedClips.sourceFrames(s, frames, new java.util.SplittableRandom(v));
        assertEquals(frames, at.length);
        for (int t = 1; t < frames; t++) {
          assertTrue(at[t] >= at[t - 1] && at[t] < s.endFrame() && at[0] >= s.startFrame(), "frame " + t);
        }
        if (s.frameCount() >= span) {
          sawLong = true;
          assertEquals(2 * (frames - 1), at[frames - 1] - at[0], "a long scene's window is read at 8 fps");
        } else {
          sawShort = true;
          assertEquals(s.startFrame(), at[0]);
          assertEquals(s.endFrame() - 1, at[frames - 1], "a short scene is shown to its last frame");
        }
      }
    }
    assertTrue(sawShort && sawLong);
  }

  /** Without short scenes the batches are what they were before the option, so older runs' commands still hold. */
  @Test
  void shortScenesChangeTheBatchesOnlyWhenAsked() {
    // 49 frames span 6 s, longer than many of the world's 2.5..8 s scenes.
    RawClips raw = new RawClips(49, 64, 96, List.of(new byte[49 * 64 * 96 * 3]), List.of("a"));
    try (RenderedClips before = new RenderedClips(8, 49, 4, 1, raw, 1, 0);
        RenderedClips off = new RenderedClips(8, 49, 4, 1, raw, 1, 0, false);
        RenderedClips on = new RenderedClips(8, 49, 4, 1, raw, 1, 0, true)) {
      boolean differ = false;
      for (int i = 0; i < 4; i++) {
        DatasetBatch a = before.next();
        assertArrayEquals(a.pixels(), off.next().pixels());
        differ |= !java.util.Arrays.equals(a.pixels(), on.next().pixels());
      }
      assertTrue(differ);
    }
  }

  /**
   * --chroma-420 renders the same scenes with their colour at half resolution: each frame is the
   * plain one through {@link ChromaSubsampling}, so brightness stays where it was.
   */
  @Test
  void chroma420SubsamplesTheColourOfTheSameFrames() {
    RawClips raw = new RawClips(5, 128, 192, List.of(new byte[5 * 128 * 192 * 3]), List.of("a"));
    try (RenderedClips plain = new RenderedClips(6, 5, 2, 1, raw, 1, 0, true, false);
        RenderedClips chroma = new RenderedClips(6, 5, 2, 1, raw, 1, 0, true, true)) {
      DatasetBatch a = plain.next();
      DatasetBatch b = chroma.next();
      assertEquals(a.captions(), b.captions());
      int big = 192 * 128 * 3;
      for (int t = 0; t < 2 * 5; t++) {
        byte[] frame = java.util.Arrays.copyOfRange(a.pixels(), t * big, (t + 1) * big);
        ChromaSubsampling.apply(frame, 192, 128);
        assertArrayEquals(frame, java.util.Arrays.copyOfRange(b.pixels(), t * big, (t + 1) * big), "frame " + t);
      }
      assertTrue(!java.util.Arrays.equals(a.pixels(), b.pixels()));
    }
  }
}
