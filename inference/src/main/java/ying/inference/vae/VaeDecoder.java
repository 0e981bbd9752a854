package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The VAE's decoder, the encoder walked back: a convolution in, a middle residual block, then from
 * the innermost level out residual blocks and an upsampling, then GroupNorm, SiLU and a convolution
 * out to RGB. Latents {@code [B, 16, 1+k, h, w]} in, video {@code [B, 3, 1+4k, 8h, 8w]} out (default
 * config). Each level's residual blocks run before its upsampling, at the lower resolution: run after
 * it, they and the wider upsampling convolutions would make the decoder about 4x as costly.
 *
 * <p>Every temporal operation is causal or per frame, so with a {@link CausalCache} in the params the
 * decoder takes a clip chunk by chunk and gives what a whole-clip forward gives.
 */
final class VaeDecoder extends ChainedBlock {
  private final CausalConv3d convIn;
  private final ResnetBlock3d mid;
  private final List<Block> levels = new ArrayList<>();
  private final GroupNorm normOut;
  private final CausalConv3d convOut;

  VaeDecoder(VaeConfig c) {
    List<Integer> widths = c.levelChannels();
    int width = widths.get(widths.size() - 1);
    convIn = addChildBlock("conv_in", CausalConv3d.same(width, c.kernel()));
    mid = addChildBlock("mid", new ResnetBlock3d(c, width, width));
    for (int level = widths.size() - 1; level >= 0; level--) {
      int out = widths.get(level);
      for (int r = 0; r < c.resBlocksPerLevel(); r++) {
        levels.add(addChildBlock("level" + level + "_res" + r, new ResnetBlock3d(c, width, out)));
        width = out;
      }
      levels.add(addChildBlock("level" + level + "_up", new Upsample3d(c, width, c.temporalDownsample().get(level))));
    }
    normOut = addChildBlock("norm_out", new GroupNorm(width, c.groupsFor(width), c.normEps()));
    convOut = addChildBlock("conv_out", CausalConv3d.same(c.imageChannels(), c.kernel()));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = convIn.forward(ps, inputs, training, params); // [B, C_last, 1+k, h, w]
    x = mid.forward(ps, x, training, params);
    for (Block block : levels) {
      x = block.forward(ps, x, training, params); // [B, C_level, ..., 2h, 2w] after each upsampling
    }
    NDArray h = ResnetBlock3d.silu(normOut.forward(ps, x, training, params).head()); // [B, C_first, 1+4k, 8h, 8w]
    return convOut.forward(ps, new NDList(h), training, params); // [B, 3, 1+4k, 8h, 8w]
  }
}
