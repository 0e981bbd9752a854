package ying.core.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.io.Storage;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;

/** Hard cuts in synthetic multi-scene videos, whose true cut frames are known. */
class SceneCutDetectorTest {
  @TempDir Path dir;
  private final Storage storage = Storage.local();

  private static Path render(Storage storage, VideoPlan plan, Path file) throws VideoException {
    plan.write(storage, file.toString());
    return file;
  }

  @Test
  void findsSyntheticCutsWithHighPrecisionAndRecallWithinOneFrame() throws Exception {
    // Short scenes pack many cuts into little video; 1..4 scenes as in the real world.
    SyntheticWorld world = new SyntheticWorld(2024, new WorldOptions(192, 128, 16, 2, 4, 2.0, 4.0, 1, 3));
    SceneCutDetector detector = new SceneCutDetector();
    int truePositives = 0;
    int falsePositives = 0;
    int falseNegatives = 0;
    List<String> misses = new ArrayList<>();
    for (int v = 0; v < 24; v++) {
      VideoPlan plan = world.video(v);
      Path file = render(storage, plan, dir.resolve("v" + v + ".mp4"));
      List<Double> truth = plan.scenes().stream().skip(1).map(ScenePlan::startSeconds).toList();
      List<Double> found;
      try (VideoReader reader = VideoReader.open(storage, file.toString())) {
        found = detector.detect(reader).cutTimes();
      }
      double oneFrame = 1.0 / plan.fps();
      List<Double> unmatched = new ArrayList<>(truth);
      for (double cut : found) {
        Double match = unmatched.stream().filter(t -> Math.abs(t - cut) <= oneFrame + 1e-6).findFirst().orElse(null);
        if (match != null) {
          unmatched.remove(match);
          truePositives++;
        } else {
          falsePositives++;
          misses.add("video " + v + ": extra cut at " + cut);
        }
      }
      falseNegatives += unmatched.size();
      for (double t : unmatched) {
        misses.add("video " + v + ": missed cut at " + t);
      }
    }
    double precision = truePositives / (double) (truePositives + falsePositives);
    double recall = truePositives / (double) (truePositives + falseNegatives);
    assertTrue(truePositives >= 30, "enough cuts to measure: " + truePositives);
    assertTrue(precision >= 0.95 && recall >= 0.95,
        "precision " + precision + ", recall " + recall + "; " + misses);
  }

  @Test
  void singleShotWithCameraMotionHasNoCuts() throws Exception {
    SyntheticWorld world = new SyntheticWorld(7, new WorldOptions(192, 128, 16, 1, 1, 6.0, 8.0, 1, 3));
    int found = 0;
    for (int v = 0; v < 8; v++) {
      Path file = render(storage, world.video(v), dir.resolve("one" + v + ".mp4"));
      try (VideoReader reader = VideoReader.open(storage, file.toString())) {
        found += detector().detect(reader).cutTimes().size();
      }
    }
    assertEquals(0, found, "pans, zooms and moving objects are not cuts");
  }

  @Test
  void cutIsPlacedOnTheFirstFrameOfTheNewShot() throws Exception {
    Path file = dir.resolve("two-colours.mp4");
    try (VideoWriter w = VideoWriter.create(storage, file.toString(), 64, 48, 10)) {
      for (int k = 0; k < 40; k++) {
        w.write(k < 23 ? VideoWriterTest.solidFrame(64, 48, 20, 40, 200) : VideoWriterTest.solidFrame(64, 48, 220, 180, 20));
      }
      w.finish();
    }
    try (VideoReader reader = VideoReader.open(storage, file.toString())) {
      assertEquals(List.of(2.3), detector().detect(reader).cutTimes());
    }
  }

  @Test
  void aLargeFrameScorerReadsEverySecondPixelAsAThumbnailScorerReadsItsDecimation() throws Exception {
    SyntheticWorld world = new SyntheticWorld(11, new WorldOptions(192, 128, 16, 3, 3, 2.0, 3.0, 1, 3));
    Path file = render(storage, world.video(0), dir.resolve("big.mp4"));
    SceneCutDetector.Scorer large = detector().scorer(192, 128);
    SceneCutDetector.Scorer small = detector().scorer(96, 64);
    SceneCutDetector.Scorer whole = detector().scorer();
    try (VideoReader reader = VideoReader.open(storage, file.toString())) {
      reader.stream(0, Double.POSITIVE_INFINITY, FrameSpec.of(0, 192, 128), (i, t, rgb) -> {
        large.accept(t, rgb);
        whole.accept(t, rgb);
        byte[] decimated = new byte[96 * 64 * 3];
        for (int y = 0; y < 64; y++) {
          for (int x = 0; x < 96; x++) {
            System.arraycopy(rgb, ((2 * y) * 192 + 2 * x) * 3, decimated, (y * 96 + x) * 3, 3);
          }
        }
        small.accept(t, decimated);
      });
    }
    SceneCutDetector.Result a = large.result();
    SceneCutDetector.Result b = small.result();
    assertArrayEquals(b.scores(), a.scores(), 0);
    assertEquals(2, a.cutTimes().size(), "three scenes: " + a.cutTimes());
    assertEquals(whole.result().cutTimes(), a.cutTimes());
    assertThrows(IllegalArgumentException.class, () -> detector().scorer(192, 128).accept(0, new byte[96 * 64 * 3]));
  }

  @Test
  void settledCutsAreTheFinalCutsSoFarAndNoLaterFrameMovesThem() {
    // A change at frame 20 looks like a cut until a bigger one follows at frame 23, within the
    // window of 8 frames that decides: only the second is a cut.
    SceneCutDetector.Scorer scorer = detector().scorer();
    List<List<Double>> settledAfter = new ArrayList<>();
    for (int k = 0; k < 50; k++) {
      byte[] rgb = k < 20 ? VideoWriterTest.solidFrame(64, 48, 20, 40, 200)
          : k < 23 ? VideoWriterTest.solidFrame(64, 48, 120, 40, 200) : VideoWriterTest.solidFrame(64, 48, 250, 250, 20);
      scorer.accept(k / 10.0, rgb);
      settledAfter.add(scorer.settledCuts());
    }
    List<Double> cuts = scorer.result().cutTimes();
    assertEquals(List.of(2.3), cuts);
    for (int k = 0; k < settledAfter.size(); k++) {
      List<Double> settled = settledAfter.get(k);
      assertEquals(cuts.subList(0, settled.size()), settled, "after frame " + k);
      assertEquals(k >= 23 + 8 ? 1 : 0, settled.size(), "after frame " + k);
    }
  }

  private static SceneCutDetector detector() {
    return new SceneCutDetector();
  }
}
