package ying.inference.vae;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Halves height and width, and time when asked, with one strided causal convolution. In time it
 * keeps the first frame on its own: 1+2m frames become 1+m, output frame j sees input frames up to
 * 2j, so output 0 still describes frame 0 alone.
 */
final class Downsample3d extends AbstractBlock {
  private final CausalConv3d conv;

  Downsample3d(VaeConfig c, int channels, boolean temporal) {
    int k = c.kernel();
    conv = addChildBlock("conv", new CausalConv3d(channels, k, k, k, temporal ? 2 : 1, 2, 2));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return conv.forward(ps, inputs, training, params); // [B, C, T or (T-1)/2+1, H/2, W/2]
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    conv.initialize(manager, dataType, inputShapes);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return conv.getOutputShapes(inputShapes);
  }
}
