package ying.captioner.eval;

import java.util.ArrayList;
import java.util.List;

/** Precision and recall of detected scene cuts against true ones, a match being within a tolerance. */
public final class CutScores {
  private long truePositives;
  private long falsePositives;
  private long falseNegatives;

  /** Greedily pairs each detected cut with the nearest unmatched true cut within {@code tolerance} seconds. */
  public void add(List<Double> detected, List<Double> truth, double tolerance) {
    List<Double> open = new ArrayList<>(truth);
    for (double d : detected) {
      Double best = null;
      for (double t : open) {
        if (Math.abs(t - d) <= tolerance + 1e-9 && (best == null || Math.abs(t - d) < Math.abs(best - d))) {
          best = t;
        }
      }
      if (best == null) {
        falsePositives++;
      } else {
        open.remove(best);
        truePositives++;
      }
    }
    falseNegatives += open.size();
  }

  public double precision() {
    long found = truePositives + falsePositives;
    return found == 0 ? 1 : truePositives / (double) found;
  }

  public double recall() {
    long real = truePositives + falseNegatives;
    return real == 0 ? 1 : truePositives / (double) real;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "cut precision %.1f%%, recall %.1f%% (%d true cuts)", 100 * precision(),
        100 * recall(), truePositives + falseNegatives);
  }
}
