package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu and He, 2018) with statistics taken over each frame on its own (the
 * group's channels x H x W), never across time: a frame's output then depends on that frame alone,
 * which keeps the VAE causal and makes a chunked decode equal a whole one (statistics over time, as
 * a plain 5D GroupNorm takes them, would differ between a chunk and the whole clip). DJL has no
 * GroupNorm block.
 */
final class GroupNorm extends AbstractBlock {
  private final int channels;
  private final int groups;
  private final float eps;
  private final Parameter gamma;
  private final Parameter beta;

  GroupNorm(int channels, int groups, float eps) {
    this.channels = channels;
    this.groups = groups;
    this.eps = eps;
    // Shaped to broadcast over [B, C, T, H, W] as they are: a reshape here would leave a new array
    // in the model's manager on every forward.
    Shape perChannel = new Shape(1, channels, 1, 1, 1);
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
        .optShape(perChannel).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
        .optShape(perChannel).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head(); // [B, C, T, H, W]
    Shape s = x.getShape();
    NDArray g = x.reshape(s.get(0), groups, channels / groups, s.get(2), s.get(3), s.get(4)); // [B, G, C/G, T, H, W]
    NDArray centred = g.sub(perFrameMean(g)); // mean [B, G, 1, T, 1, 1]
    NDArray variance = perFrameMean(centred.square());
    NDArray normed = centred.div(variance.add(eps).sqrt()).reshape(s); // [B, C, T, H, W]
    NDArray scale = ps.getValue(gamma, x.getDevice(), training); // [1, C, 1, 1, 1]
    NDArray shift = ps.getValue(beta, x.getDevice(), training);
    return new NDList(normed.mul(scale).add(shift));
  }

  /**
   * Mean over each group's channels, height and width, frame by frame. One axis at a time: DJL's
   * PyTorch mean takes a single axis, and sum-then-divide would need {@code div(Number)}, whose
   * gradient is wrong in DJL 0.33 (see {@link ResnetBlock3d#silu}).
   */
  private static NDArray perFrameMean(NDArray g) {
    return g.mean(new int[] {5}, true).mean(new int[] {4}, true).mean(new int[] {2}, true);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
