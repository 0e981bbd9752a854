package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Full attention over one sequence of text tokens followed by video tokens (CogVideoX's "3D full
 * attention": every token sees every other, across space, time and modality), with QK-norm and 3D
 * RoPE on the video tokens' queries and keys.
 *
 * <p>{@code forward([tokens [B, N, D], keyBias [B, 1, 1, N]])} where keyBias is 0 for real tokens
 * and a large negative number for padding. RoPE tables for all N tokens, the text's rows rotating
 * nothing ({@link Rope3d.Tables#afterUnrotated}), come in the forward params under
 * {@link Rope3d#PARAM}; without them (the text encoder) nothing is rotated.
 */
final class JointAttention extends AbstractBlock {
  private final int dim;
  private final int heads;
  private final Linear qkv;
  private final Linear out;
  private final LayerNorm queryNorm;
  private final LayerNorm keyNorm;

  JointAttention(int dim, int heads) {
    if (dim % heads != 0) {
      throw new IllegalArgumentException("width " + dim + " does not split into " + heads + " heads");
    }
    this.dim = dim;
    this.heads = heads;
    qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
    out = addChildBlock("out", Linear.builder().setUnits(dim).build());
    queryNorm = addChildBlock("query_norm", LayerNorm.builder().axis(3).build());
    keyNorm = addChildBlock("key_norm", LayerNorm.builder().axis(3).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0); // [B, N, D]
    long b = x.getShape().get(0);
    long n = x.getShape().get(1);
    NDArray packed = qkv.forward(ps, new NDList(x), training).head() // [B, N, 3D]
        .reshape(b, n, 3, heads, dim / heads).transpose(2, 0, 3, 1, 4); // [3, B, h, N, D/h]
    NDArray q = queryNorm.forward(ps, new NDList(packed.get(0)), training).head();
    NDArray k = keyNorm.forward(ps, new NDList(packed.get(1)), training).head();
    NDArray v = packed.get(2);
    Rope3d.Tables rope = Rope3d.of(params);
    if (rope != null) {
      if (rope.cos().getShape().get(0) != n) {
        throw new IllegalArgumentException("RoPE tables of " + rope.cos().getShape().get(0) + " rows for " + n
            + " tokens: give the text's rows too (Rope3d.Tables#afterUnrotated)");
      }
      q = Rope3d.apply(q, rope);
      k = Rope3d.apply(k, rope);
    }
    // The scale as an array: DJL 0.33 frees a Number operand before the backward pass reads it.
    NDArray scale = x.getManager().create((float) (1 / Math.sqrt(dim / (double) heads)));
    // Scaling the queries rather than the N x N scores is a fifth of the work; with 64-channel heads
    // the scale is 1/8, a power of two, so the scores are bit for bit the same either way.
    NDArray scores = q.mul(scale).matMul(k.transpose(0, 1, 3, 2)); // [B, h, N, N]
    if (inputs.size() > 1) {
      scores = scores.add(inputs.get(1));
    }
    NDArray attended = scores.softmax(-1).matMul(v); // [B, h, N, D/h]
    return out.forward(ps, new NDList(attended.transpose(0, 2, 1, 3).reshape(b, n, dim)), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    qkv.initialize(manager, dataType, x);
    out.initialize(manager, dataType, x);
    Shape perHead = new Shape(x.get(0), heads, x.get(1), dim / heads);
    queryNorm.initialize(manager, dataType, perHead);
    keyNorm.initialize(manager, dataType, perHead);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
