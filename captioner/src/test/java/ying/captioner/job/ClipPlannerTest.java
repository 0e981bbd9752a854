package ying.captioner.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClipPlannerTest {
  @Test
  void cutsAtScenesAndSplitsLongScenesEvenly() {
    List<ClipPlanner.Clip> clips = ClipPlanner.plan(List.of(4.0, 29.0), 33.0, 10, 1);
    assertEquals(List.of(new ClipPlanner.Clip(0, 0, 0, 4), new ClipPlanner.Clip(1, 1, 4, 12.333333333333334),
        new ClipPlanner.Clip(2, 1, 12.333333333333334, 20.666666666666668),
        new ClipPlanner.Clip(3, 1, 20.666666666666668, 29), new ClipPlanner.Clip(4, 2, 29, 33)), clips);
  }

  @Test
  void dropsSlivers() {
    List<ClipPlanner.Clip> clips = ClipPlanner.plan(List.of(5.0, 5.4), 9, 10, 1);
    assertEquals(List.of(new ClipPlanner.Clip(0, 0, 0, 5), new ClipPlanner.Clip(1, 2, 5.4, 9)), clips);
  }
}
