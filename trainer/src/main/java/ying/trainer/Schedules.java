package ying.trainer;

import ai.djl.training.tracker.Tracker;

/** The learning-rate schedule every trainer here uses. */
public final class Schedules {
  private Schedules() {}

  /** Linear warm-up from 5% of {@code peak}, then cosine decay to 5% of it at {@code steps}. */
  public static Tracker warmUpCosine(float peak, int steps, int warmupSteps) {
    return Tracker.warmUp().setMainTracker(Tracker.cosine().setBaseValue(peak).optFinalValue(peak * 0.05f)
            .setMaxUpdates(steps).build())
        .optWarmUpSteps(Math.min(warmupSteps, steps / 2)).optWarmUpBeginValue(peak * 0.05f).build();
  }
}
