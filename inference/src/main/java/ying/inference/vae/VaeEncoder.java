package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The VAE's encoder (the LDM autoencoder's, made 3D and causal as in CogVideoX, 3.1): a convolution
 * in, per level residual blocks and a downsampling, a middle residual block, then GroupNorm, SiLU
 * and a convolution out to the posterior's mean and log-variance. Video {@code [B, 3, 1+4k, H, W]}
 * in, moments {@code [B, 2*16, 1+k, H/8, W/8]} out (default config).
 */
final class VaeEncoder extends ChainedBlock {
  private final CausalConv3d convIn;
  private final List<Block> levels = new ArrayList<>();
  private final ResnetBlock3d mid;
  private final GroupNorm normOut;
  private final CausalConv3d convOut;

  VaeEncoder(VaeConfig c) {
    convIn = addChildBlock("conv_in", CausalConv3d.same(c.baseChannels(), c.kernel()));
    int width = c.baseChannels();
    for (int level = 0; level < c.levelChannels().size(); level++) {
      int out = c.levelChannels().get(level);
      for (int r = 0; r < c.resBlocksPerLevel(); r++) {
        levels.add(addChildBlock("level" + level + "_res" + r, new ResnetBlock3d(c, width, out)));
        width = out;
      }
      levels.add(addChildBlock("level" + level + "_down",
          new Downsample3d(c, width, c.temporalDownsample().get(level))));
    }
    mid = addChildBlock("mid", new ResnetBlock3d(c, width, width));
    normOut = addChildBlock("norm_out", new GroupNorm(width, c.groupsFor(width), c.normEps()));
    convOut = addChildBlock("conv_out", CausalConv3d.same(2 * c.latentChannels(), c.kernel()));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = convIn.forward(ps, inputs, training, params); // [B, base, T, H, W]
    for (Block block : levels) {
      x = block.forward(ps, x, training, params); // [B, C_level, T / 2^i, H / 2^i, W / 2^i] after level i's downsampling
    }
    x = mid.forward(ps, x, training, params); // [B, C_last, 1+k, H/8, W/8]
    NDArray h = ResnetBlock3d.silu(normOut.forward(ps, x, training, params).head());
    return convOut.forward(ps, new NDList(h), training, params); // [B, 2*latent, 1+k, H/8, W/8]
  }
}
