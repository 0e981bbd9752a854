package ying.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The convolutional stem of "Early Convolutions Help Transformers See Better" (Xiao et al., 2021):
 * three stride-2 3x3 convolutions per frame in place of a single linear patch projection. Small
 * objects straddle patch borders; overlapping convolutions see their outline wherever it falls,
 * which a linear map of a fixed pixel grid does not. Maps {@code [N, 3, H, W]} to
 * {@code [N, C, H/8, W/8]}.
 */
final class ConvStem extends AbstractBlock {
  static final int STRIDE = 8;

  private final Conv2d[] convs = new Conv2d[3];

  ConvStem(int channels) {
    int[] widths = {channels / 4, channels / 2, channels};
    for (int i = 0; i < convs.length; i++) {
      convs[i] = addChildBlock("conv" + i, Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2))
          .optPadding(new Shape(1, 1)).setFilters(widths[i]).build());
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    for (int i = 0; i < convs.length; i++) {
      x = convs[i].forward(ps, new NDList(x), training).head();
      // The last map is the token's raw material; the projection after it is linear, like a patch's.
      if (i < convs.length - 1) {
        x = Activation.gelu(x);
      }
    }
    return new NDList(x);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape shape = inputShapes[0];
    for (Conv2d conv : convs) {
      conv.initialize(manager, dataType, shape);
      shape = conv.getOutputShapes(new Shape[] {shape})[0];
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    Shape out = s;
    for (Conv2d conv : convs) {
      out = conv.getOutputShapes(new Shape[] {out})[0];
    }
    return new Shape[] {out};
  }
}
