package ying.captioner.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The transformer's position-wise MLP: Linear(4D), GELU, Linear(D). */
final class FeedForward extends AbstractBlock {
  private final Linear up;
  private final Linear down;

  FeedForward(int dim) {
    up = addChildBlock("up", Linear.builder().setUnits(4L * dim).build());
    down = addChildBlock("down", Linear.builder().setUnits(dim).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList hidden = new NDList(Activation.gelu(up.forward(ps, inputs, training).head())); // [B, N, 4D]
    return down.forward(ps, hidden, training); // [B, N, D]
  }

  @Override
  protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    up.initialize(manager, dataType, inputShapes[0]);
    down.initialize(manager, dataType, up.getOutputShapes(inputShapes)[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
