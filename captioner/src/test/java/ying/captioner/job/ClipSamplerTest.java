package ying.captioner.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ying.core.io.Storage;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;
import ying.core.video.VideoReader;

/**
 * The one-pass sampler on multi-scene synthetic videos: cuts found on the model-size frames land
 * on the true cuts, and frames kept in memory give the same clips as seeking back for each window.
 * At 192x128 (a pixel-folded captioner's size) the cuts are scored on every second pixel. Byte limits
 * that hold a scene but not the video, some scenes but not all, or no scene, change none of it, with
 * three views of each clip longer than the window, the second of them the single view's middle.
 */
class ClipSamplerTest {
  private static final double WINDOW_S = 33 / 8.0;
  @TempDir Path dir;
  private final Storage storage = Storage.local();

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"96, 64", "192, 128"})
  void keptFramesGiveTheSameClipsAsSeekingAndCutsLandOnTheTrueCuts(int width, int height) throws Exception {
    SyntheticWorld world = new SyntheticWorld(2024, new WorldOptions(192, 128, 16, 2, 4, 2.0, 7.0, 1, 3));
    int cuts = 0;
    int onCut = 0;
    int extra = 0;
    int clips = 0;
    int longerThanLimit = 0;
    int keptThenSeeked = 0;
    int viewed = 0;
    long inMemoryBytes = CaptionOptions.defaults("captioner", "unused").frameMemoryBytes();
    List<String> misses = new ArrayList<>();
    for (int v = 0; v < 12; v++) {
      VideoPlan plan = world.video(v);
      Path file = dir.resolve("v" + v + ".mp4");
      plan.write(storage, file.toString());
      List<ClipSampler.Sampled> inMemory = sample(file, width, height, inMemoryBytes);
      List<ClipSampler.Sampled> middle = sample(file, width, height, 1, inMemoryBytes);
      assertEquals(middle.size(), inMemory.size(), "video " + v);
      for (int i = 0; i < middle.size(); i++) {
        ClipSampler.Sampled three = inMemory.get(i);
        boolean longer = three.clip().end() - three.clip().start() > WINDOW_S;
        assertEquals(longer ? 3 : 1, three.views(), "video " + v + " clip " + i);
        // The second of three windows is the middle one, what a single view reads.
        int clipBytes = middle.get(i).frames().length;
        assertArrayEquals(middle.get(i).frames(), Arrays.copyOfRange(three.frames(), longer ? clipBytes : 0,
            (longer ? 2 : 1) * clipBytes), "video " + v + " clip " + i);
        assertEquals(middle.get(i).motion(), three.motion(), 0, "video " + v + " clip " + i);
        viewed += longer ? 1 : 0;
      }
      // Limits that hold any one scene (at most 7 s, 112 frames, and the 8 frames that settle a cut)
      // but not the video; that hold the short scenes only; that hold none.
      List<ClipSampler.Sampled> byScene = sample(file, width, height, 130L * width * height * 3);
      List<ClipSampler.Sampled> someScenes = sample(file, width, height, 60L * width * height * 3);
      List<ClipSampler.Sampled> seeking = sample(file, width, height, 10L * width * height * 3);
      assertTrue(inMemory.stream().noneMatch(ClipSampler.Sampled::seeked), "video " + v);
      assertTrue(byScene.stream().noneMatch(ClipSampler.Sampled::seeked), "video " + v);
      assertTrue(seeking.stream().allMatch(ClipSampler.Sampled::seeked), "video " + v);
      if (plan.durationSeconds() * plan.fps() > 130) {
        longerThanLimit++;
      }
      if (someScenes.stream().anyMatch(ClipSampler.Sampled::seeked)
          && someScenes.stream().anyMatch(s -> !s.seeked())) {
        keptThenSeeked++;
      }
      for (List<ClipSampler.Sampled> other : List.of(byScene, someScenes, seeking)) {
        assertEquals(inMemory.size(), other.size(), "video " + v);
        for (int i = 0; i < inMemory.size(); i++) {
          assertEquals(inMemory.get(i).clip(), other.get(i).clip(), "video " + v + " clip " + i);
          assertArrayEquals(inMemory.get(i).frames(), other.get(i).frames(), "video " + v + " clip " + i);
          assertEquals(inMemory.get(i).motion(), other.get(i).motion(), 0, "video " + v + " clip " + i);
        }
      }
      clips += inMemory.size();
      Map<Integer, Double> sceneStarts = new TreeMap<>();
      inMemory.forEach(s -> sceneStarts.merge(s.clip().scene(), s.clip().start(), Math::min));
      sceneStarts.remove(0);
      List<Double> truth = new ArrayList<>(plan.scenes().stream().skip(1).map(ScenePlan::startSeconds).toList());
      cuts += truth.size();
      for (double found : sceneStarts.values()) {
        Double match = truth.stream().filter(t -> Math.abs(t - found) <= 1.0 / plan.fps() + 1e-6).findFirst()
            .orElse(null);
        if (match == null) {
          extra++;
          misses.add("video " + v + ": extra cut at " + found);
        } else {
          truth.remove(match);
          onCut++;
        }
      }
      truth.forEach(t -> misses.add("missed cut at " + t));
    }
    assertTrue(cuts >= 15, "enough cuts to measure: " + cuts);
    assertTrue(onCut >= 0.95 * cuts && extra <= 0.05 * cuts, onCut + " of " + cuts + " cuts found, " + extra
        + " extra: " + misses);
    assertTrue(clips > cuts, clips + " clips");
    assertTrue(longerThanLimit >= 4, longerThanLimit + " videos outgrow the per-scene limit");
    assertTrue(keptThenSeeked >= 2, keptThenSeeked + " videos switch from kept frames to seeking");
    assertTrue(viewed >= 5, viewed + " clips longer than the window, read as three");
  }

  /** Three views of each clip longer than the window. */
  private static List<ClipSampler.Sampled> sample(Path file, int width, int height, long maxKeptBytes)
      throws Exception {
    return sample(file, width, height, 3, maxKeptBytes);
  }

  private static List<ClipSampler.Sampled> sample(Path file, int width, int height, int views, long maxKeptBytes)
      throws Exception {
    try (VideoReader reader = VideoReader.open(Storage.local(), file.toString())) {
      return ClipSampler.sample(reader, width, height, 8,
          CaptionOptions.defaults("captioner", "unused").withWindowSeconds(WINDOW_S).withViews(views), maxKeptBytes);
    }
  }
}
