package ying.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pre-norm transformer decoder layer: causal self-attention over the caption so far, cross-
 * attention to the video tokens, then the MLP. Inputs {@code [tokens, video]}.
 */
final class CaptionDecoderBlock extends AbstractBlock {
  private final LayerNorm norm1;
  private final MultiHeadAttention selfAttention;
  private final LayerNorm norm2;
  private final MultiHeadAttention crossAttention;
  private final LayerNorm norm3;
  private final FeedForward mlp;

  CaptionDecoderBlock(int dim, int heads) {
    norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
    selfAttention = addChildBlock("self_attention", new MultiHeadAttention(dim, heads, true));
    norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
    crossAttention = addChildBlock("cross_attention", new MultiHeadAttention(dim, heads, false));
    norm3 = addChildBlock("norm3", LayerNorm.builder().axis(2).build());
    mlp = addChildBlock("mlp", new FeedForward(dim));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0); // [B, L, D]
    NDArray video = inputs.get(1); // [B, N, D]
    x = x.add(selfAttention.forward(ps, norm1.forward(ps, new NDList(x), training), training).head());
    NDArray q = norm2.forward(ps, new NDList(x), training).head();
    x = x.add(crossAttention.forward(ps, new NDList(q, video), training).head());
    x = x.add(mlp.forward(ps, norm3.forward(ps, new NDList(x), training), training).head());
    return new NDList(x);
  }

  @Override
  protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    norm1.initialize(manager, dataType, x);
    selfAttention.initialize(manager, dataType, x);
    norm2.initialize(manager, dataType, x);
    crossAttention.initialize(manager, dataType, x, inputShapes[1]);
    norm3.initialize(manager, dataType, x);
    mlp.initialize(manager, dataType, x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
