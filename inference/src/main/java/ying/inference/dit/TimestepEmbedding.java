package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The diffusion step as a vector (DDPM's sinusoidal embedding, then a two-layer MLP with SiLU):
 * {@code forward([t float [B]])} gives {@code [B, E]}, the conditioning every expert adaLN reads.
 */
public final class TimestepEmbedding extends AbstractBlock {
  private final int frequencies;
  private final Linear first;
  private final Linear second;

  /**
   * @param frequencies size of the sinusoidal code (even)
   * @param dim size of the embedding
   */
  public TimestepEmbedding(int frequencies, int dim) {
    if (frequencies < 2 || frequencies % 2 != 0) {
      throw new IllegalArgumentException("the sinusoidal code needs an even size, got " + frequencies);
    }
    this.frequencies = frequencies;
    first = addChildBlock("first", Linear.builder().setUnits(dim).build());
    second = addChildBlock("second", Linear.builder().setUnits(dim).build());
  }

  /** {@code [cos(t * f_i), sin(t * f_i)]} with frequencies from 1 down to 1/10,000. */
  static NDArray sinusoid(NDArray t, int frequencies) {
    int half = frequencies / 2;
    float[] f = new float[half];
    for (int i = 0; i < half; i++) {
      f[i] = (float) Math.exp(-Math.log(10000) * i / half);
    }
    NDArray angles = t.toType(DataType.FLOAT32, false).reshape(-1, 1)
        .mul(t.getManager().create(f).reshape(1, half)); // [B, half]
    return angles.cos().concat(angles.sin(), 1); // [B, frequencies]
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray code = sinusoid(inputs.head(), frequencies);
    NDArray h = first.forward(ps, new NDList(code), training).head();
    h = h.mul(Activation.sigmoid(h));
    return second.forward(ps, new NDList(h), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape code = new Shape(inputShapes[0].get(0), frequencies);
    first.initialize(manager, dataType, code);
    second.initialize(manager, dataType, first.getOutputShapes(new Shape[] {code}));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return second.getOutputShapes(first.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), frequencies)}));
  }
}
