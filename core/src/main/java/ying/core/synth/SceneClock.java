package ying.core.synth;

/** Scene-local time as the fraction of the scene that has passed, which drives every bounded motion. */
final class SceneClock {
  private SceneClock() {
  }

  static double progress(double t, double duration) {
    if (!(duration > 0) || !Double.isFinite(t)) {
      throw new IllegalArgumentException("t " + t + " in a scene of " + duration + " s");
    }
    return Math.min(1, Math.max(0, t / duration));
  }
}
