package ying.core.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses start positions so that each object stays inside the frame for its whole motion under the
 * scene's camera and keeps clear of the others. Objects are placed one by one from random candidates
 * scored at a few instants; a few attempts in different orders keep an early object from boxing in
 * a later one. The best attempt wins, so tight combinations (a large object moving right while the
 * camera pans left) end up at most slightly cut by the frame edge.
 */
final class Placement {
  private static final int ATTEMPTS = 8;
  private static final int CANDIDATES = 150;
  private static final int INSTANTS = 9;
  /** Leaving the frame is worse than touching a neighbour. */
  private static final double OUT_OF_FRAME_WEIGHT = 4;

  private Placement() {
  }

  /** The objects, in the same order, moved to their chosen start positions. */
  static List<SceneObject> arrange(SplittableRandom rng, List<SceneObject> objects, CameraMove camera,
      double aspect) {
    SceneObject[] best = null;
    double bestPenalty = Double.MAX_VALUE;
    for (int attempt = 0; attempt < ATTEMPTS && bestPenalty > 0; attempt++) {
      int[] order = attempt == 0 ? identity(objects.size()) : shuffled(rng, objects.size());
      SceneObject[] placed = new SceneObject[objects.size()];
      List<SceneObject> placedSoFar = new ArrayList<>();
      double total = 0;
      for (int i : order) {
        SceneObject o = objects.get(i);
        double bestOne = Double.MAX_VALUE;
        for (int c = 0; c < CANDIDATES && bestOne > 0; c++) {
          SceneObject candidate = o.withStart(rng.nextDouble(), rng.nextDouble());
          double penalty = penalty(candidate, camera, aspect, placedSoFar);
          if (penalty < bestOne) {
            placed[i] = candidate;
            bestOne = penalty;
          }
        }
        placedSoFar.add(placed[i]);
        total += bestOne;
      }
      if (total < bestPenalty) {
        best = placed;
        bestPenalty = total;
      }
    }
    return Arrays.asList(best);
  }

  static double penalty(SceneObject o, CameraMove camera, double aspect, List<SceneObject> others) {
    double penalty = 0;
    for (int k = 0; k < INSTANTS; k++) {
      double u = k / (INSTANTS - 1.0);
      CameraView view = CameraView.of(camera, u, 1);
      Disc disc = Disc.of(o, view, u, aspect);
      penalty += OUT_OF_FRAME_WEIGHT * disc.outOfFrame(aspect);
      for (SceneObject other : others) {
        penalty += disc.overlap(Disc.of(other, view, u, aspect));
      }
    }
    return penalty;
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    return order;
  }

  private static int[] shuffled(SplittableRandom rng, int n) {
    int[] order = identity(n);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  /** An object's body on screen, in frame heights: x spans 0..aspect, y spans 0..1. */
  record Disc(double x, double y, double radius) {

    static Disc of(SceneObject o, CameraView view, double u, double aspect) {
      ObjectPose pose = ObjectPose.of(o, u, 1);
      return new Disc(view.screenX(pose.x()) * aspect, view.screenY(pose.y()),
          pose.radius(o.size()) * view.zoom());
    }

    /** How far the disc pokes out of the frame, in radii, summed over the four edges. */
    double outOfFrame(double aspect) {
      return (Math.max(0, radius - x) + Math.max(0, x + radius - aspect)
          + Math.max(0, radius - y) + Math.max(0, y + radius - 1)) / radius;
    }

    /**
     * How deep two discs overlap, as a fraction of the smaller one's diameter: 1 when it lies wholly
     * inside the other, where it could be hidden.
     */
    double overlap(Disc other) {
      double depth = radius + other.radius - Math.hypot(x - other.x, y - other.y);
      return Math.min(1, Math.max(0, depth / (2 * Math.min(radius, other.radius))));
    }
  }
}
