package ying.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;

/** Guards against one bad batch poisoning the weights and Adam's moments for good. */
public final class Gradients {
  private Gradients() {}

  /** Whether every gradient of the block's parameters is finite. */
  public static boolean finite(Block block) {
    // A sum is finite only if every element is. Every array made here is closed: the gradients live
    // in the model's manager, so anything derived from them would otherwise stay until the end.
    for (var p : block.getParameters().values()) {
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
      try (NDArray g = p.getArray().getGradient()) {
        g.set(new NDIndex(":"), 0f);
      }
    }
  }
}
