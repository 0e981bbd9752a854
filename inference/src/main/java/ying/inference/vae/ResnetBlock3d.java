package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The VAE's residual block (He et al., 2016, in the pre-activation form of the LDM autoencoder):
 * {@code shortcut(x) + conv2(SiLU(GN(conv1(SiLU(GN(x))))))}, every convolution causal in time. The
 * shortcut is a 1x1x1 convolution where the width changes, else the identity.
 */
final class ResnetBlock3d extends AbstractBlock {
  private final GroupNorm norm1;
  private final CausalConv3d conv1;
  private final GroupNorm norm2;
  private final CausalConv3d conv2;
  private final CausalConv3d shortcut;

  ResnetBlock3d(VaeConfig c, int inChannels, int outChannels) {
    norm1 = addChildBlock("norm1", new GroupNorm(inChannels, c.groupsFor(inChannels), c.normEps()));
    conv1 = addChildBlock("conv1", CausalConv3d.same(outChannels, c.kernel()));
    norm2 = addChildBlock("norm2", new GroupNorm(outChannels, c.groupsFor(outChannels), c.normEps()));
    conv2 = addChildBlock("conv2", CausalConv3d.same(outChannels, c.kernel()));
    shortcut = inChannels == outChannels ? null : addChildBlock("shortcut", CausalConv3d.same(outChannels, 1));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head(); // [B, Cin, T, H, W]
    NDArray h = silu(norm1.forward(ps, inputs, training, params).head());
    h = conv1.forward(ps, new NDList(h), training, params).head(); // [B, Cout, T, H, W]
    h = silu(norm2.forward(ps, new NDList(h), training, params).head());
    h = conv2.forward(ps, new NDList(h), training, params).head();
    NDArray skip = shortcut == null ? x : shortcut.forward(ps, inputs, training, params).head();
    return new NDList(skip.add(h)); // [B, Cout, T, H, W]
  }

  /**
   * SiLU, x * sigmoid(x), from array operations only. DJL's {@code Activation.swish} multiplies by a
   * Number, and in DJL 0.33 {@code mul/div(Number)} wrap the number in an array backed by a Java
   * buffer that they close at once, while autograd keeps it for the backward pass: once the garbage
   * collector frees the buffer, gradients read garbage (wrong in 176 of 200 trials under GC churn).
   */
  static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    norm1.initialize(manager, dataType, in);
    conv1.initialize(manager, dataType, in);
    Shape out = conv1.getOutputShapes(inputShapes)[0];
    norm2.initialize(manager, dataType, out);
    conv2.initialize(manager, dataType, out);
    if (shortcut != null) {
      shortcut.initialize(manager, dataType, in);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return conv1.getOutputShapes(inputShapes);
  }
}
