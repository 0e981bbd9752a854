package ying.captioner.job;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a video into clips: at every detected scene cut, then each scene into equal parts of at
 * most {@code maxSeconds}. Parts shorter than {@code minSeconds} (a flash between two cuts, say)
 * are left out: too short to caption.
 */
final class ClipPlanner {
  private ClipPlanner() {}

  record Clip(int index, int scene, double start, double end) {}

  static List<Clip> plan(List<Double> cuts, double duration, double maxSeconds, double minSeconds) {
    List<Double> bounds = new ArrayList<>();
    bounds.add(0.0);
    for (double c : cuts) {
      if (c > bounds.get(bounds.size() - 1) && c < duration) {
        bounds.add(c);
      }
    }
    bounds.add(duration);
    List<Clip> clips = new ArrayList<>();
    for (int s = 0; s + 1 < bounds.size(); s++) {
      planScene(clips, s, bounds.get(s), bounds.get(s + 1), maxSeconds, minSeconds);
    }
    return clips;
  }

  /**
   * Appends the clips of scene {@code scene}, {@code [start, end)}, numbering on from the clips
   * already in {@code clips}: what {@link #plan} does for each scene, for a caller that learns the
   * scenes one at a time.
   */
  static void planScene(List<Clip> clips, int scene, double start, double end, double maxSeconds,
      double minSeconds) {
    double length = end - start;
    int parts = Math.max(1, (int) Math.ceil(length / maxSeconds - 1e-9));
    for (int p = 0; p < parts; p++) {
      double a = start + length * p / parts;
      double b = start + length * (p + 1) / parts;
      if (b - a + 1e-9 >= minSeconds) {
        clips.add(new Clip(clips.size(), scene, a, b));
      }
    }
  }
}
