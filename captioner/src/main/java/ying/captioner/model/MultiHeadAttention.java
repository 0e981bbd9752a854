package ying.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Scaled dot-product attention over {@code heads} heads ("Attention Is All You Need", 3.2).
 * Inputs {@code [x]} attend to themselves; {@code [x, memory]} attend to the memory (cross-attention).
 * A causal instance lets position i see positions up to i only. Queries and keys are layer-normed
 * per head before the dot product (QK-norm, as CogVideoX does), which keeps the logits bounded:
 * without it, training diverged to NaN after about 1,000 steps.
 */
final class MultiHeadAttention extends AbstractBlock {
  private final int dim;
  private final int heads;
  private final boolean causal;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear out;
  private final LayerNorm queryNorm;
  private final LayerNorm keyNorm;

  MultiHeadAttention(int dim, int heads, boolean causal) {
    this.dim = dim;
    this.heads = heads;
    this.causal = causal;
    query = addChildBlock("query", Linear.builder().setUnits(dim).build());
    key = addChildBlock("key", Linear.builder().setUnits(dim).build());
    value = addChildBlock("value", Linear.builder().setUnits(dim).build());
    out = addChildBlock("out", Linear.builder().setUnits(dim).build());
    queryNorm = addChildBlock("query_norm", LayerNorm.builder().axis(3).build());
    keyNorm = addChildBlock("key_norm", LayerNorm.builder().axis(3).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0); // [B, N, D]
    NDArray memory = inputs.size() > 1 ? inputs.get(1) : x; // [B, M, D]
    NDArray q = split(query.forward(ps, new NDList(x), training).head()); // [B, h, N, D/h]
    NDArray k = split(key.forward(ps, new NDList(memory), training).head()); // [B, h, M, D/h]
    q = queryNorm.forward(ps, new NDList(q), training).head();
    k = keyNorm.forward(ps, new NDList(k), training).head();
    NDArray v = split(value.forward(ps, new NDList(memory), training).head());
    // The scale is an array of this scope, not a number: DJL 0.33 frees the array it makes for a
    // number right after the op, while autograd still needs it for the backward pass.
    NDArray scale = x.getManager().create((float) (1 / Math.sqrt(dim / (double) heads)));
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale); // [B, h, N, M]
    if (causal) {
      long n = x.getShape().get(1);
      NDArray steps = x.getManager().arange((int) n);
      NDArray future = steps.expandDims(0).gt(steps.expandDims(1)).toType(DataType.FLOAT32, false); // [N, N], 1 if col > row
      scores = scores.sub(future.mul(1e9f));
    }
    NDArray attended = scores.softmax(-1).matMul(v); // [B, h, N, D/h]
    long b = x.getShape().get(0);
    long n = x.getShape().get(1);
    NDArray merged = attended.transpose(0, 2, 1, 3).reshape(b, n, dim); // [B, N, D]
    return out.forward(ps, new NDList(merged), training);
  }

  private NDArray split(NDArray t) {
    long b = t.getShape().get(0);
    long n = t.getShape().get(1);
    return t.reshape(b, n, heads, dim / heads).transpose(0, 2, 1, 3);
  }

  @Override
  protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    Shape memory = inputShapes.length > 1 ? inputShapes[1] : x;
    query.initialize(manager, dataType, x);
    key.initialize(manager, dataType, memory);
    value.initialize(manager, dataType, memory);
    out.initialize(manager, dataType, x);
    int perHead = dim / heads;
    queryNorm.initialize(manager, dataType, new Shape(x.get(0), heads, x.get(1), perHead));
    keyNorm.initialize(manager, dataType, new Shape(memory.get(0), heads, memory.get(1), perHead));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
