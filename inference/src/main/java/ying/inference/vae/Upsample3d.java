package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Undoes a {@link Downsample3d}: nearest x2 in height and width, then a causal convolution. In time
 * (when asked) the clip's first frame stays one frame and every later frame is doubled, so 1+m
 * frames become 1+2m and latent frame 0 still decodes to frame 0 alone. In a chunked decode only
 * the chunk that starts the clip keeps its first frame single.
 */
final class Upsample3d extends AbstractBlock {
  private final boolean temporal;
  private final CausalConv3d conv;

  Upsample3d(VaeConfig c, int channels, boolean temporal) {
    this.temporal = temporal;
    conv = addChildBlock("conv", CausalConv3d.same(channels, c.kernel()));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head(); // [B, C, T, H, W]
    if (temporal) {
      CausalCache cache = CausalCache.of(params);
      boolean startsClip = cache == null || cache.atStart();
      x = startsClip ? doubleAfterFirst(x) : x.repeat(2, 2); // [B, C, 2T-1 or 2T, H, W]
    }
    x = x.repeat(3, 2).repeat(4, 2); // [B, C, T', 2H, 2W]
    return conv.forward(ps, new NDList(x), training, params);
  }

  private static NDArray doubleAfterFirst(NDArray x) {
    long t = x.getShape().get(2);
    if (t == 1) {
      return x;
    }
    return NDArrays.concat(new NDList(x.get(":, :, 0:1"), x.get(":, :, 1:").repeat(2, 2)), 2);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    conv.initialize(manager, dataType, getOutputShapes(inputShapes));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    long t = temporal ? 2 * in.get(2) - 1 : in.get(2);
    return new Shape[] {new Shape(in.get(0), in.get(1), t, 2 * in.get(3), 2 * in.get(4))};
  }
}
