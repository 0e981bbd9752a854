package ying.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A pre-norm transformer encoder layer over video tokens: x + Attn(LN(x)), then x + MLP(LN(x)). */
final class VideoEncoderBlock extends AbstractBlock {
  private final LayerNorm norm1;
  private final MultiHeadAttention attention;
  private final LayerNorm norm2;
  private final FeedForward mlp;

  VideoEncoderBlock(int dim, int heads) {
    norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
    attention = addChildBlock("attention", new MultiHeadAttention(dim, heads, false));
    norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
    mlp = addChildBlock("mlp", new FeedForward(dim));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head(); // [B, N, D]
    x = x.add(attention.forward(ps, norm1.forward(ps, new NDList(x), training), training).head());
    x = x.add(mlp.forward(ps, norm2.forward(ps, new NDList(x), training), training).head());
    return new NDList(x);
  }

  @Override
  protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    for (var child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes[0]);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
