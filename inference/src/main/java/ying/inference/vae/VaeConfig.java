package ying.inference.vae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The causal VAE's shape: how many levels, how wide, which of them halve time. Written into the
 * checkpoint manifest and read back to rebuild the network.
 *
 * <p>Each level is {@code resBlocksPerLevel} residual blocks then a downsampling that halves height
 * and width, and also time where {@code temporalDownsample} says so; the decoder walks the levels
 * back. With the defaults, 1+4k frames of HxW become 1+k latent frames of H/8 x W/8 x 16.
 *
 * <p>Cost of one 49x64x96 clip with the defaults (multiply-accumulates of the 3x3x3 convolutions,
 * which dominate): encoder 26.2 G (12.6 G of it is level 1's residual block at full resolution),
 * decoder 22.8 G (8.3 G the last upsampling convolution at full resolution).
 *
 * @param imageChannels channels of a frame (RGB)
 * @param latentChannels channels of a latent frame; the encoder emits twice this (mean, log-variance)
 * @param baseChannels width of the encoder's first convolution, at full resolution
 * @param levelChannels width of each level, outermost first
 * @param temporalDownsample whether each level also halves time (causally: 1+2m frames to 1+m)
 * @param kernel kernel size in time, height and width of every 3D convolution
 * @param groups GroupNorm groups; fewer where a width does not divide into them (see {@link #groupsFor})
 * @param normEps GroupNorm's epsilon
 * @param logVarMin, logVarMax clamp of the posterior's log-variance, so exp() stays finite early in training
 * @param settleLatents latent frames of still lead-in that {@link VaeModel} encodes and decodes before
 *     a clip and then drops, 0 for none. The causal convolutions pad the past with zeros (see {@link
 *     CausalConv3d}), so a still picture's latents keep changing over the first ~8 latent frames while
 *     the zeros leave the receptive field; in a 17-frame clip (5 latent frames) that settling is about
 *     half of a static-camera clip's latent change, noise the DiT has to learn beside real motion. A
 *     lead-in of copies of the first frame lets the network settle before the clip starts, at the cost
 *     of encoding and decoding {@code 4 * settleLatents} more frames. Training ({@link CausalVae})
 *     never uses it: it is how a trained VAE is used, and so part of what its latents mean.
 */
public record VaeConfig(int imageChannels, int latentChannels, int baseChannels, List<Integer> levelChannels,
    List<Boolean> temporalDownsample, int resBlocksPerLevel, int kernel, int groups, float normEps, float logVarMin,
    float logVarMax, int settleLatents) implements java.io.Serializable {

  /** A config without a still lead-in. */
  public VaeConfig(int imageChannels, int latentChannels, int baseChannels, List<Integer> levelChannels,
      List<Boolean> temporalDownsample, int resBlocksPerLevel, int kernel, int groups, float normEps, float logVarMin,
      float logVarMax) {
    this(imageChannels, latentChannels, baseChannels, levelChannels, temporalDownsample, resBlocksPerLevel, kernel,
        groups, normEps, logVarMin, logVarMax, 0);
  }

  public VaeConfig {
    levelChannels = List.copyOf(levelChannels);
    temporalDownsample = List.copyOf(temporalDownsample);
    if (levelChannels.isEmpty() || levelChannels.size() != temporalDownsample.size()) {
      throw new IllegalArgumentException("need one temporal flag per level: " + levelChannels + " vs "
          + temporalDownsample);
    }
    if (kernel % 2 != 1) {
      throw new IllegalArgumentException("kernel must be odd so space pads symmetrically: " + kernel);
    }
    if (settleLatents < 0) {
      throw new IllegalArgumentException("settle_latents must be >= 0, got " + settleLatents);
    }
    if (resBlocksPerLevel < 1 || groups < 1 || logVarMin >= logVarMax) {
      throw new IllegalArgumentException("bad VAE config: " + resBlocksPerLevel + " blocks per level, " + groups
          + " groups, log-variance clamp [" + logVarMin + ", " + logVarMax + "]");
    }
  }

  /** Sized for training on two CPU cores: 8x space, 4x time, 16 latent channels (2.2% of the values). */
  public static VaeConfig defaults() {
    return new VaeConfig(3, 16, 16, List.of(32, 64, 128), List.of(true, true, false), 1, 3, 8, 1e-6f, -30f, 20f);
  }

  /** This config with a still lead-in of {@code latents} latent frames (see {@link #settleLatents}). */
  public VaeConfig withSettleLatents(int latents) {
    return new VaeConfig(imageChannels, latentChannels, baseChannels, levelChannels, temporalDownsample,
        resBlocksPerLevel, kernel, groups, normEps, logVarMin, logVarMax, latents);
  }

  /** Height and width shrink by this much. */
  public int spatialFactor() {
    return 1 << levelChannels.size();
  }

  /** Frames after the first shrink by this much. */
  public int temporalFactor() {
    return 1 << (int) temporalDownsample.stream().filter(b -> b).count();
  }

  /** Latent frames for a clip of {@code frames} frames, which must be 1 + a multiple of {@link #temporalFactor}. */
  public int latentFrames(int frames) {
    if (frames < 1 || (frames - 1) % temporalFactor() != 0) {
      throw new IllegalArgumentException("a clip must have 1 + " + temporalFactor() + "k frames, got " + frames);
    }
    return 1 + (frames - 1) / temporalFactor();
  }

  /** Frames decoded from {@code latentFrames} latent frames. */
  public int videoFrames(int latentFrames) {
    return 1 + (latentFrames - 1) * temporalFactor();
  }

  /** The most groups, up to {@link #groups}, that {@code channels} divides into. */
  public int groupsFor(int channels) {
    int g = Math.min(groups, channels);
    while (channels % g != 0) {
      g--;
    }
    return g;
  }

  public JsonNode toJson(ObjectMapper json) {
    ObjectNode n = json.createObjectNode();
    n.put("image_channels", imageChannels).put("latent_channels", latentChannels).put("base_channels", baseChannels);
    ArrayNode widths = n.putArray("level_channels");
    levelChannels.forEach(widths::add);
    ArrayNode temporal = n.putArray("temporal_downsample");
    temporalDownsample.forEach(temporal::add);
    n.put("res_blocks_per_level", resBlocksPerLevel).put("kernel", kernel).put("groups", groups)
        .put("norm_eps", normEps).put("log_var_min", logVarMin).put("log_var_max", logVarMax);
    if (settleLatents > 0) { // absent means none, as in manifests written before it existed
      n.put("settle_latents", settleLatents);
    }
    return n;
  }

  public static VaeConfig fromJson(JsonNode n) {
    List<Integer> widths = new ArrayList<>();
    n.get("level_channels").forEach(w -> widths.add(w.asInt()));
    List<Boolean> temporal = new ArrayList<>();
    n.get("temporal_downsample").forEach(t -> temporal.add(t.asBoolean()));
    return new VaeConfig(n.get("image_channels").asInt(), n.get("latent_channels").asInt(),
        n.get("base_channels").asInt(), widths, temporal, n.get("res_blocks_per_level").asInt(),
        n.get("kernel").asInt(), n.get("groups").asInt(), (float) n.get("norm_eps").asDouble(),
        (float) n.get("log_var_min").asDouble(), (float) n.get("log_var_max").asDouble(),
        n.path("settle_latents").asInt(0));
  }
}
