package ying.inference.vae;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;

/**
 * A block whose children run one after another in the order they were added, each fed the one
 * before's output: the encoder and the decoder. It sizes them in that order.
 */
abstract class ChainedBlock extends AbstractBlock {
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shape = inputShapes;
    for (Block block : getChildren().values()) {
      block.initialize(manager, dataType, shape);
      shape = block.getOutputShapes(shape);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shape = inputShapes;
    for (Block block : getChildren().values()) {
      shape = block.getOutputShapes(shape);
    }
    return shape;
  }
}
