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

  /**
   * What every forward pass over one batch of prompts and one latent grid shares: the encoded
   * captions, the attention's key bias and the RoPE tables. Sampling works them out once per clip
   * ({@link #context}) rather than once per step; they do not depend on the noise or the step.
   */
  public record Context(NDArray words, NDArray keyBias, PairList<String, Object> rope) {}

  /**
   * The {@link Context} for captions {@code ids, mask [B, L]} and latents of {@code frames x h x w}
   * cells; the arrays it makes that do not come from the captions are attached to {@code manager}.
   */
  public Context context(NDManager manager, ParameterStore ps, NDArray ids, NDArray mask, int frames, int h, int w,
      boolean training) {
    int p = config.patch();
    NDArray words = text.forward(ps, new NDList(ids, mask), training).head();
    words = textProjection.forward(ps, new NDList(words), training).head(); // [B, L, D]
    long video = (long) frames * (h / p) * (w / p);
    NDArray keyBias = TextEncoder.keyBias(mask).concat(
        manager.zeros(new Shape(ids.getShape().get(0), 1, 1, video)), 3); // [B, 1, 1, L+Nv]
    PairList<String, Object> rope = Rope3d.params(
        new Rope3d(config.dim() / config.heads(), ROPE_BASE).tables(manager, frames, h / p, w / p)
            .afterUnrotated(ids.getShape().get(1)));
    return new Context(words, keyBias, rope);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray latents = inputs.get(0);
    Shape s = latents.getShape();
    Context context = context(latents.getManager(), ps, inputs.get(2), inputs.get(3), Math.toIntExact(s.get(2)),
        Math.toIntExact(s.get(3)), Math.toIntExact(s.get(4)), training);
    return new NDList(forward(ps, latents, inputs.get(1), context, training));
  }

  /** v for {@code latents [B, Cin, T, h, w]} at {@code timesteps [B]}, the captions and grid in {@code context}. */
  public NDArray forward(ParameterStore ps, NDArray latents, NDArray timesteps, Context context, boolean training) {
    Shape s = latents.getShape();
    int p = config.patch();
    int t = Math.toIntExact(s.get(2));
    int gh = Math.toIntExact(s.get(3)) / p;
    int gw = Math.toIntExact(s.get(4)) / p;
    NDArray c = time.forward(ps, new NDList(timesteps), training).head(); // [B, D]
    c = c.mul(Activation.sigmoid(c)); // the SiLU every modulation reads
    NDArray words = context.words();
    NDArray video = patchEmbed.forward(ps, new NDList(Patches.toTokens(latents, p)), training).head(); // [B, Nv, D]
    for (DitBlock block : blocks) {
      NDList out = block.forward(ps, new NDList(words, video, c, context.keyBias()), training, context.rope());
      words = out.get(0);
      video = out.get(1);
    }
    NDList m = outModulation.forward(ps, new NDList(c), training).head() // [B, 2D]: shift, scale
        .reshape(s.get(0), 2, config.dim()).split(2, 1);
    video = outNorm.forward(ps, new NDList(video), training).head().mul(m.get(1).add(1f)).add(m.get(0));
    NDArray cells = outProjection.forward(ps, new NDList(video), training).head(); // [B, Nv, p*p*C]
    return Patches.fromTokens(cells, config.latentChannels(), t, gh, gw, p);
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
