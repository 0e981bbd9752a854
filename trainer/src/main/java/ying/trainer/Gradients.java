package ying.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;

/** Guards against one bad batch poisoning the weights and Adam's moments for good. */
public final class Gradients {
  private Gradients() {}

  /** Whether every gradient of the block's trained (not frozen) parameters is finite. */
  public static boolean finite(Block block) {
    // A sum is finite only if every element is. Every array made here is closed: the gradients live
    // in the model's manager, so anything derived from them would otherwise stay until the end.
    for (var p : block.getParameters().values()) {
      if (!p.requiresGradient()) {
        continue;
      }
      try (NDArray g = p.getArray().getGradient(); NDArray sum = g.sum()) {
        if (!Float.isFinite(sum.getFloat())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Clears every gradient, so a dropped update does not leak into the next step. */
  public static void zero(Block block) {
    for (var p : block.getParameters().values()) {
      if (!p.requiresGradient()) {
        continue;
      }
      try (NDArray g = p.getArray().getGradient()) {
        g.set(new NDIndex(":"), 0f);
      }
    }
  }

  /**
   * Drops updates whose loss or gradients are not finite: a non-finite update would poison the
   * weights and Adam's moments for good, and a gradient left in place would poison the next step
   * too. Gives up, naming the learning rate, once more than max(10, 5% of the steps) were dropped.
   */
  public static final class Guard {
    private final String job;
    private final int steps;
    private final float learningRate;
    private int dropped;

    public Guard(String job, int steps, float learningRate) {
      this.job = job;
      this.steps = steps;
      this.learningRate = learningRate;
    }

    /** Whether this step's update may be applied; if not, its gradients are cleared and the step counted. */
    public boolean admit(Block block, float loss, int step) {
      if (Float.isFinite(loss) && finite(block)) {
        return true;
      }
      zero(block);
      if (++dropped > Math.max(10, steps / 20)) {
        throw new IllegalStateException("training diverged: " + dropped + " non-finite updates by step " + step
            + "; lower --lr (now " + learningRate + ")");
      }
      System.err.printf(java.util.Locale.ROOT, "%s: step %d dropped: non-finite %s%n", job, step,
          Float.isFinite(loss) ? "gradient" : "loss");
      return false;
    }

    public int dropped() {
      return dropped;
    }
  }
}
