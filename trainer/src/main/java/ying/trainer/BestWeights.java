package ying.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights at the best validation score seen so far, so a run that overfits late publishes its
 * best point rather than its last (early stopping without stopping: the run's log still shows all).
 */
public final class BestWeights implements AutoCloseable {
  private final Block block;
  private final NDManager manager;
  private final List<NDArray> copies = new ArrayList<>();
  private double best = Double.POSITIVE_INFINITY;
  private int bestStep = -1;

  public BestWeights(Block block, NDManager parent) {
    this.block = block;
    this.manager = parent.newSubManager();
  }

  /** Keeps a copy of the current weights if {@code loss} is the lowest so far. */
  public void offer(double loss, int step) {
    if (!(loss < best)) {
      return;
    }
    best = loss;
    bestStep = step;
    copies.forEach(NDArray::close);
    copies.clear();
    for (var p : block.getParameters().values()) {
      NDArray copy = p.getArray().duplicate();
      copy.attach(manager);
      copies.add(copy);
    }
  }

  /** Puts the best weights back (no-op when nothing was offered); returns the step they come from. */
  public int restore() {
    if (bestStep < 0) {
      return -1;
    }
    int i = 0;
    for (var p : block.getParameters().values()) {
      copies.get(i++).copyTo(p.getArray());
    }
    return bestStep;
  }

  public double best() {
    return best;
  }

  public int bestStep() {
    return bestStep;
  }

  @Override
  public void close() {
    manager.close();
  }
}
