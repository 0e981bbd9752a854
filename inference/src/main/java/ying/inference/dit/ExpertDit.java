package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The expert diffusion transformer (CogVideoX, 3.2): latents cut into {@code patch x patch} cells
 * per token, caption tokens from a {@link TextEncoder}, both in one sequence through
 * {@link DitBlock}s, then the video tokens back to latents. It predicts v (see {@link NoiseSchedule}).
 *
 * <p>{@code forward([latents [B, Cin, T, h, w], timesteps [B], ids [B, L], mask [B, L]])} gives
 * {@code [v [B, C, T, h, w]]}. For image-to-video, {@code Cin = 2C}: the noisy latents and the first
 * frame's latents (zeros after frame 0) concatenated along channels.
 */
public final class ExpertDit extends AbstractBlock {
  private static final double ROPE_BASE = 10000;
  private final DitConfig config;
  private final TextEncoder text;
  private final Linear textProjection;
  private final Linear patchEmbed;
  private final TimestepEmbedding time;
  private final List<DitBlock> blocks = new ArrayList<>();
  private final LayerNorm outNorm;
  private final Linear outModulation;
  private final Linear outProjection;

  public ExpertDit(DitConfig c) {
    this.config = c;
    text = addChildBlock("text", new TextEncoder(c.vocabSize(), c.textTokens(), c.dim(), c.heads(), c.textLayers()));
    textProjection = addChildBlock("text_projection", Linear.builder().setUnits(c.dim()).build());
    patchEmbed = addChildBlock("patch_embed", Linear.builder().setUnits(c.dim()).build());
    time = addChildBlock("time", new TimestepEmbedding(c.timeFrequencies(), c.dim()));
    for (int i = 0; i < c.layers(); i++) {
      blocks.add(addChildBlock("block" + i, new DitBlock(c.dim(), c.heads())));
    }
    outNorm = addChildBlock("out_norm", LayerNorm.builder().axis(2).build());
    outModulation = addChildBlock("out_modulation", Linear.builder().setUnits(2L * c.dim()).build());
    outProjection = addChildBlock("out_projection",
        Linear.builder().setUnits((long) c.patch() * c.patch() * c.latentChannels()).build());
  }

  public DitConfig config() {
    return config;
  }

  /**
   * Zero-initialises every modulation and the output projection (adaLN-Zero): a fresh model
   * predicts v = 0 and each block starts as the identity. Call after any model-wide initializer.
   */
  public void zeroInitModulations() {
    for (var p : getParameters()) {
      String key = p.getKey();
      if (key.contains("modulation") || key.contains("out_projection")) {
        p.getValue().setInitializer(Initializer.ZEROS);
      }
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray latents = inputs.get(0); // [B, Cin, T, h, w]
    Shape s = latents.getShape();
    int p = config.patch();
    int t = Math.toIntExact(s.get(2));
    int gh = Math.toIntExact(s.get(3)) / p;
    int gw = Math.toIntExact(s.get(4)) / p;
    NDArray c = time.forward(ps, new NDList(inputs.get(1)), training).head(); // [B, D]
    NDArray words = text.forward(ps, new NDList(inputs.get(2), inputs.get(3)), training).head();
    words = textProjection.forward(ps, new NDList(words), training).head(); // [B, L, D]
    NDArray video = patchEmbed.forward(ps, new NDList(Patches.toTokens(latents, p)), training).head(); // [B, Nv, D]
    NDManager manager = latents.getManager();
    NDArray keyBias = TextEncoder.keyBias(inputs.get(3)).concat(
        manager.zeros(new Shape(s.get(0), 1, 1, video.getShape().get(1))), 3); // [B, 1, 1, L+Nv]
    PairList<String, Object> rope = Rope3d.params(
        new Rope3d(config.dim() / config.heads(), ROPE_BASE).tables(manager, t, gh, gw));
    for (DitBlock block : blocks) {
      NDList out = block.forward(ps, new NDList(words, video, c, keyBias), training, rope);
      words = out.get(0);
      video = out.get(1);
    }
    NDArray m = outModulation.forward(ps, new NDList(c.mul(Activation.sigmoid(c))), training).head(); // [B, 2D]
    NDArray shift = m.get(":, :" + config.dim()).expandDims(1);
    NDArray scale = m.get(":, " + config.dim() + ":").expandDims(1);
    video = outNorm.forward(ps, new NDList(video), training).head().mul(scale.add(1f)).add(shift);
    NDArray cells = outProjection.forward(ps, new NDList(video), training).head(); // [B, Nv, p*p*C]
    return new NDList(Patches.fromTokens(cells, config.latentChannels(), t, gh, gw, p));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape latents = inputShapes[0];
    long b = latents.get(0);
    int p = config.patch();
    long nv = latents.get(2) * (latents.get(3) / p) * (latents.get(4) / p);
    Shape ids = inputShapes[2];
    Shape words = new Shape(b, ids.get(1), config.dim());
    Shape video = new Shape(b, nv, config.dim());
    Shape cond = new Shape(b, config.dim());
    text.initialize(manager, dataType, ids, inputShapes[3]);
    textProjection.initialize(manager, dataType, words);
    patchEmbed.initialize(manager, dataType, new Shape(b, nv, (long) p * p * latents.get(1)));
    time.initialize(manager, dataType, inputShapes[1]);
    for (DitBlock block : blocks) {
      block.initialize(manager, dataType, words, video, cond);
    }
    outNorm.initialize(manager, dataType, video);
    outModulation.initialize(manager, dataType, cond);
    outProjection.initialize(manager, dataType, video);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape l = inputShapes[0];
    return new Shape[] {new Shape(l.get(0), config.latentChannels(), l.get(2), l.get(3), l.get(4))};
  }

  /** Parameters (weights and biases), for reports. */
  public long parameterCount() {
    return getParameters().values().stream().mapToLong(p -> p.getArray().getShape().size()).sum();
  }
}
