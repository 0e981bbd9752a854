package ying.trainer.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import ying.core.dataset.DatasetBatch;

class DitObjectiveTest {
  @Test
  void anUntiltedDrawReplaysTheUniformStepsOfEarlierRuns() {
    Random a = new Random(7);
    Random b = new Random(7);
    for (int i = 0; i < 1000; i++) {
      assertEquals(b.nextInt(1000), DitObjective.PLAIN.drawStep(a, 1000));
    }
  }

  @Test
  void aTiltMovesTheStepsTowardsNoiseAboveOneAndTowardsTheCleanEndBelow() {
    // Density k (t/T)^(k-1): a share 1 - 0.5^k of the steps in the noisier half.
    assertEquals(0.75, noisierHalf(2f), 0.01);
    assertEquals(0.875, noisierHalf(3f), 0.01);
    assertEquals(0.5, noisierHalf(1f), 0.01);
    assertEquals(1 - Math.pow(0.5, 0.5), noisierHalf(0.5f), 0.01);
  }

  @Test
  void everyDrawnStepLiesOnTheSchedule() {
    Random rng = new Random(3);
    DitObjective steep = new DitObjective(0f, 0f, 0f, 0f, 16f);
    for (int i = 0; i < 10_000; i++) {
      int t = steep.drawStep(rng, 1000);
      assertTrue(t >= 0 && t < 1000, "step " + t);
    }
  }

  @Test
  void refusesSettingsOutsideTheirRangeAndRecordsOnlyThoseThatAreNotPlain() {
    assertThrows(IllegalArgumentException.class, () -> new DitObjective(1f, 0f, 0f, 0f, 1f));
    assertThrows(IllegalArgumentException.class, () -> new DitObjective(0.1f, -0.1f, 0f, 0f, 1f));
    assertThrows(IllegalArgumentException.class, () -> new DitObjective(0.1f, 0f, -1f, 0f, 1f));
    assertThrows(IllegalArgumentException.class, () -> new DitObjective(0.1f, 0f, 0f, -1f, 1f));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DitObjective(0.1f, 0f, 0f, 0f, 0f));
    assertTrue(e.getMessage().contains("noise tilt"), e.getMessage());
    Map<String, Object> facts = new LinkedHashMap<>();
    DitObjective.captionDropout(0.1f).record(facts::put);
    assertEquals(Map.of(), facts);
    new DitObjective(0.1f, 0.5f, 0f, 1f, 2f).record(facts::put);
    assertEquals(Map.of("image_dropout", 0.5f, "shape_contrast", 1f, "noise_tilt", 2f), facts);
    facts.clear();
    new DitObjective(0.1f, 0f, 0f, 0f, 1f, 4f).record(facts::put);
    assertEquals(Map.of("object_weight", 4f), facts);
    assertThrows(IllegalArgumentException.class, () -> new DitObjective(0.1f, 0f, 0f, 0f, 1f, -1f));
    e = assertThrows(IllegalArgumentException.class, () -> new DitObjective(0.1f, 0f, 0f, 1f, 1f, 4f));
    assertTrue(e.getMessage().contains("contrast"), e.getMessage());
  }

  @Test
  void anObjectWeightCountsEachCellByItsCoverAndRefusesClipsWithoutOne() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Two clips of 2 channels, 1 x 1 x 2 cells; clip 0's right cell half covered, clip 1 uncovered.
      float[] squares = {1, 3, 5, 7, 2, 2, 4, 4};
      NDArray sq = m.create(squares, new Shape(2, 2, 1, 1, 2));
      int[] latentShape = {2, 1, 1, 2};
      DatasetBatch covered = new DatasetBatch(List.of("a", "b"), List.of("x", "y"), 1, 8, 16, new byte[0],
          new byte[16], latentShape, new float[] {0f, 0.5f, 0f, 0f});
      float[] perClip = DitTrainer.objectWeighted(sq, covered, 4f).toFloatArray();
      // Clip 0: weights 1 and 3 for the left and right cells: (1 + 5 + 3 * (3 + 7)) / (2 * (1 + 3)) = 4.5.
      assertEquals(4.5f, perClip[0], 1e-6f);
      assertEquals(3f, perClip[1], 1e-6f); // uncovered: the plain mean
      DatasetBatch uncovered = new DatasetBatch(List.of("a", "b"), List.of("x", "y"), 1, 8, 16, new byte[0],
          new byte[16], latentShape);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DitTrainer.objectWeighted(sq, uncovered, 4f));
      assertTrue(e.getMessage().contains("object cover"), e.getMessage());
    }
  }

  private static double noisierHalf(float tilt) {
    DitObjective o = new DitObjective(0.1f, 0f, 0f, 0f, tilt);
    Random rng = new Random(11);
    int n = 40_000;
    int high = 0;
    for (int i = 0; i < n; i++) {
      high += o.drawStep(rng, 1000) >= 500 ? 1 : 0;
    }
    return (double) high / n;
  }
}
