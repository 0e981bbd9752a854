package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Expert adaptive LayerNorm (CogVideoX, 3.2): text and video tokens share one sequence and one
 * attention, but the conditioning (timestep) embedding gives each modality its own shift, scale
 * and gate, so two very different feature spaces are aligned without separate transformers.
 *
 * <p>{@code forward([text [B, Nt, D], video [B, Nv, D], SiLU(conditioning) [B, E]])} returns
 * {@code [LN(text) * (1 + scale_t) + shift_t, LN(video) * (1 + scale_v) + shift_v, gate_t, gate_v]},
 * gates {@code [B, 1, D]} for the residual branch that follows. The modulation starts at zero
 * (adaLN-Zero, Peebles and Xie, 2023), so every block starts as the identity. The conditioning
 * comes through its SiLU already: every block reads the same one, so the network applies it once.
 */
public final class ExpertAdaLayerNorm extends AbstractBlock {
  private final int dim;
  private final Linear modulation;
  private final LayerNorm textNorm;
  private final LayerNorm videoNorm;

  public ExpertAdaLayerNorm(int dim) {
    this.dim = dim;
    modulation = addChildBlock("modulation", Linear.builder().setUnits(6L * dim).build());
    modulation.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
    textNorm = addChildBlock("text_norm", LayerNorm.builder().axis(2).build());
    videoNorm = addChildBlock("video_norm", LayerNorm.builder().axis(2).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray text = inputs.get(0); // [B, Nt, D]
    NDArray video = inputs.get(1); // [B, Nv, D]
    NDArray c = inputs.get(2); // [B, E], through SiLU already
    long b = c.getShape().get(0);
    // shift, scale, gate for video, then for text: [B, 1, D] each, in one split rather than six slices.
    NDList parts = modulation.forward(ps, new NDList(c), training).head().reshape(b, 6, dim).split(6, 1);
    NDArray v = videoNorm.forward(ps, new NDList(video), training).head();
    NDArray t = textNorm.forward(ps, new NDList(text), training).head();
    // add(1f) is safe where mul(Number) is not: the gradient of a sum does not read the scalar.
    v = v.mul(parts.get(1).add(1f)).add(parts.get(0));
    t = t.mul(parts.get(4).add(1f)).add(parts.get(3));
    return new NDList(t, v, parts.get(5), parts.get(2));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    textNorm.initialize(manager, dataType, inputShapes[0]);
    videoNorm.initialize(manager, dataType, inputShapes[1]);
    modulation.initialize(manager, dataType, inputShapes[2]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape gate = new Shape(inputShapes[0].get(0), 1, dim);
    return new Shape[] {inputShapes[0], inputShapes[1], gate, gate};
  }
}
