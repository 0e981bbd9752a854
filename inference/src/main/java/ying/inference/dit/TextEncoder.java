package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A small transformer over caption token ids, trained with the DiT. CogVideoX encodes prompts with
 * a frozen T5, which cannot be had here; anything mapping {@code [ids [B, L], mask [B, L]]} to
 * {@code [B, L, D]} can stand in for this block.
 */
public final class TextEncoder extends AbstractBlock {
  private final int vocab;
  private final int dim;
  private final Linear embed;
  private final Parameter positions;
  private final List<LayerNorm> norms = new ArrayList<>();
  private final List<JointAttention> attentions = new ArrayList<>();
  private final List<Linear> ups = new ArrayList<>();
  private final List<Linear> downs = new ArrayList<>();
  private final LayerNorm outNorm;

  public TextEncoder(int vocab, int maxTokens, int dim, int heads, int layers) {
    this.vocab = vocab;
    this.dim = dim;
    embed = addChildBlock("embed", Linear.builder().setUnits(dim).optBias(false).build());
    positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(maxTokens, dim)).build());
    for (int i = 0; i < layers; i++) {
      norms.add(addChildBlock("norm_a" + i, LayerNorm.builder().axis(2).build()));
      attentions.add(addChildBlock("attention" + i, new JointAttention(dim, heads)));
      norms.add(addChildBlock("norm_f" + i, LayerNorm.builder().axis(2).build()));
      ups.add(addChildBlock("up" + i, Linear.builder().setUnits(4L * dim).build()));
      downs.add(addChildBlock("down" + i, Linear.builder().setUnits(dim).build()));
    }
    outNorm = addChildBlock("out_norm", LayerNorm.builder().axis(2).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.get(0); // [B, L]
    long l = ids.getShape().get(1);
    NDArray keyBias = keyBias(inputs.get(1)); // [B, 1, 1, L]
    NDArray oneHot = ids.toType(DataType.INT64, false).oneHot(vocab).toType(DataType.FLOAT32, false);
    // A slice of a parameter goes to the parameter's manager, the model's, and would stay there for as
    // long as the model lives; attached to the ids' manager it goes when the pass's arrays go.
    NDArray table = ps.getValue(positions, ids.getDevice(), training).get(":" + l);
    table.attach(ids.getManager());
    NDArray x = embed.forward(ps, new NDList(oneHot), training).head().add(table); // [B, L, D]
    for (int i = 0; i < attentions.size(); i++) {
      NDArray h = norms.get(2 * i).forward(ps, new NDList(x), training).head();
      x = x.add(attentions.get(i).forward(ps, new NDList(h, keyBias), training).head());
      h = norms.get(2 * i + 1).forward(ps, new NDList(x), training).head();
      h = ups.get(i).forward(ps, new NDList(h), training).head();
      x = x.add(downs.get(i).forward(ps, new NDList(Activation.gelu(h)), training).head());
    }
    return outNorm.forward(ps, new NDList(x), training);
  }

  /** 0 where the mask is 1 (a real token), a large negative number where it is 0 (padding): {@code [B, 1, 1, L]}. */
  static NDArray keyBias(NDArray mask) {
    NDArray padding = mask.toType(DataType.FLOAT32, false).neg().add(1f);
    return padding.mul(mask.getManager().create(-1e9f)).expandDims(1).expandDims(1);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape ids = inputShapes[0];
    Shape x = new Shape(ids.get(0), ids.get(1), dim);
    embed.initialize(manager, dataType, new Shape(ids.get(0), ids.get(1), vocab));
    for (LayerNorm n : norms) {
      n.initialize(manager, dataType, x);
    }
    for (JointAttention a : attentions) {
      a.initialize(manager, dataType, x);
    }
    for (int i = 0; i < ups.size(); i++) {
      ups.get(i).initialize(manager, dataType, x);
      downs.get(i).initialize(manager, dataType, new Shape(ids.get(0), ids.get(1), 4L * dim));
    }
    outNorm.initialize(manager, dataType, x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), dim)};
  }
}
