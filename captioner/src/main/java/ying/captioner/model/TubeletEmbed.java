package ying.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Spatio-temporal patch embedding (ViViT's tubelets): frames cut into {@code tf x p x p} blocks,
 * each flattened and projected to one token, plus a learned position embedding per block. With a
 * {@link ConvStem} the blocks are cut from its feature maps instead of the pixels.
 */
final class TubeletEmbed extends AbstractBlock {
  private final CaptionerConfig c;
  private final ConvStem stem;
  private final Linear projection;
  private final Parameter position;

  TubeletEmbed(CaptionerConfig config) {
    this.c = config;
    stem = config.stemChannels() == 0 ? null : addChildBlock("stem", new ConvStem(config.stemChannels()));
    projection = addChildBlock("projection", Linear.builder().setUnits(c.dim()).build());
    position = addParameter(Parameter.builder().setName("position").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(1, c.videoTokens(), c.dim())).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray frames = inputs.head(); // [B, T, H, W, 3], uint8 or float in 0..255
    long b = frames.getShape().get(0);
    NDArray x = frames.toType(DataType.FLOAT32, false).div(255f).sub(0.5f);
    int p = c.patch();
    int h = c.height();
    int w = c.width();
    int channels = 3;
    if (stem != null) {
      // A fold of 1 is the plain [N, H, W, 3] -> [N, 3, H, W] transpose.
      NDArray pixels = PixelFold.fold(x.reshape(b * c.frames(), h, w, 3), c.pixelFold());
      NDArray maps = stem.forward(ps, new NDList(pixels), training).head(); // [B*T, C, H/8f, W/8f]
      channels = c.stemChannels();
      int down = ConvStem.STRIDE * c.pixelFold();
      p /= down;
      h /= down;
      w /= down;
      x = maps.transpose(0, 2, 3, 1).reshape(b, c.frames(), h, w, channels);
    }
    x = x.reshape(b, c.frames() / c.tubeletFrames(), c.tubeletFrames(), h / p, p, w / p, p, channels)
        .transpose(0, 1, 3, 5, 2, 4, 6, 7)
        .reshape(b, c.videoTokens(), c.tubeletValues()); // [B, N, tf*p*p*3]
    NDArray tokens = projection.forward(ps, new NDList(x), training).head(); // [B, N, D]
    NDArray pos = ps.getValue(position, tokens.getDevice(), training);
    return new NDList(tokens.add(pos));
  }

  @Override
  protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    if (stem != null) {
      int f = c.pixelFold();
      stem.initialize(manager, dataType, new Shape(b * c.frames(), 3L * f * f, c.height() / f, c.width() / f));
    }
    projection.initialize(manager, dataType, new Shape(b, c.videoTokens(), c.tubeletValues()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), c.videoTokens(), c.dim())};
  }
}
