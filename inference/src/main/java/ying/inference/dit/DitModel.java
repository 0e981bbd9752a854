package ying.inference.dit;

import ai.djl.MalformedModelException;
import com.fasterxml.jackson.databind.JsonNode;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ying.core.djl.Devices;
import ying.core.djl.Weights;
import ying.core.registry.Checkpoint;
import ying.core.text.Tokenizer;

/**
 * An expert DiT ready to use: the network, its caption tokenizer and config, float16 checkpoints,
 * and the pieces sampling and training share (caption ids, the unconditional caption, image
 * conditioning).
 */
public final class DitModel implements AutoCloseable {
  public static final String PARAMS = "dit";
  public static final String PARAMS_FILE = PARAMS + "-0000.params";
  public static final String TOKENIZER_FILE = "tokenizer.json";
  private static final Pattern BLOCK_KEY = Pattern.compile("block(\\d+)(_.*)");

  private final Model model;
  private final ExpertDit network;
  private final Tokenizer tokenizer;
  private boolean textAlone;

  private DitModel(Model model, ExpertDit network, Tokenizer tokenizer) {
    this.model = model;
    this.network = network;
    this.tokenizer = tokenizer;
  }

  /** Fresh weights (Xavier, modulations and output zero) drawn after seeding the engine with {@code seed}. */
  public static DitModel create(DitConfig config, Tokenizer tokenizer, long seed) {
    if (tokenizer.size() != config.vocabSize()) {
      throw new IllegalArgumentException("tokenizer of " + tokenizer.size() + " words for a config of "
          + config.vocabSize());
    }
    Model model = Model.newInstance("dit", Devices.current());
    ExpertDit net = new ExpertDit(config);
    net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    net.zeroInitModulations();
    model.setBlock(net);
    Engine.getInstance().setRandomSeed((int) seed);
    net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, config.inputChannels(), 1, config.patch(),
        config.patch()), new Shape(1), new Shape(1, 2), new Shape(1, 2));
    return new DitModel(model, net, tokenizer);
  }

  public static DitModel load(Checkpoint checkpoint) throws IOException {
    DitModel m = load(checkpoint.dir(), DitConfig.fromJson(checkpoint.config()),
        Tokenizer.load(checkpoint.file(TOKENIZER_FILE)));
    m.textAlone = samplesFromTextAlone(checkpoint.manifest());
    return m;
  }

  /**
   * Whether a DiT checkpoint (by its manifest) samples without a first frame: a text-to-video one,
   * or an image-to-video one trained with image dropout, whose first-frame condition was zeroed in
   * some of its clips; sampling from text alone then zeroes it the same way.
   */
  public static boolean samplesFromTextAlone(JsonNode manifest) {
    return !DitConfig.fromJson(manifest.get("config")).imageToVideo() || manifest.path("image_dropout").asDouble(0) > 0;
  }

  /** See {@link #samplesFromTextAlone(JsonNode)}; a model loaded without its manifest is taken at its config's word. */
  public boolean samplesFromTextAlone() {
    return textAlone || !config().imageToVideo();
  }

  /**
   * An image-to-video DiT that begins as the text-to-video {@code source}: every weight copied, the
   * patch embedding widened to read the first frame's latents beside the noisy ones with zero
   * weights for them. Until training moves those, it predicts exactly what the source does whatever
   * the frame, so fine-tuning starts from what the source learnt rather than from noise (the way
   * CogVideoX's image-to-video model began as its text-to-video one). {@code source} stays open.
   */
  public static DitModel widenedForImage(DitModel source) {
    DitConfig c = source.config();
    if (c.imageToVideo()) {
      throw new IllegalArgumentException("the DiT already reads a first frame: nothing to widen");
    }
    DitConfig wide = c.withFirstFrame();
    DitModel m = create(wide, source.tokenizer, 0);
    var from = source.network.getParameters();
    var to = m.network.getParameters();
    long cells = (long) c.patch() * c.patch();
    for (int i = 0; i < to.size(); i++) {
      NDArray w = from.get(i).getValue().getArray();
      Parameter into = to.get(i).getValue();
      Shape want = into.getArray().getShape();
      if (w.getShape().equals(want)) {
        Weights.replace(into, w);
      } else if (to.get(i).getKey().equals(from.get(i).getKey()) && want.dimension() == 2
          && want.get(1) == cells * wide.inputChannels() && w.getShape().get(1) == cells * c.inputChannels()) {
        // Tokens hold each cell's channels innermost (Patches.toTokens): widen every cell's run.
        try (NDManager scope = w.getManager().newSubManager()) {
          NDArray cellwise = w.reshape(want.get(0), cells, c.inputChannels());
          cellwise.attach(scope);
          NDArray widened = cellwise.concat(scope.zeros(cellwise.getShape(), cellwise.getDataType()), 2);
          Weights.replace(into, widened.reshape(want));
        }
      } else {
        m.close();
        throw new IllegalStateException("cannot widen " + from.get(i).getKey() + " " + w.getShape() + " into " + want);
      }
    }
    return m;
  }

  /**
   * A deeper DiT that begins as {@code source}: its blocks copied in order and spread evenly over
   * {@code layers} places, new blocks between them. A new block's modulation starts at zero
   * (adaLN-Zero), so its gates close its residual branches and it passes its tokens on unchanged:
   * the deeper network predicts exactly what the source does, and training grows the new blocks from
   * there rather than relearning what the source knew (a deeper DiT from scratch would need all of
   * the source's steps again). {@code source} stays open.
   */
  public static DitModel deepened(DitModel source, int layers) {
    DitConfig c = source.config();
    if (layers <= c.layers()) {
      throw new IllegalArgumentException("a deeper DiT needs more than the source's " + c.layers() + " blocks, got "
          + layers);
    }
    Map<String, NDArray> from = new HashMap<>();
    for (var p : source.network.getParameters()) {
      from.put(childKey(p.getKey()), p.getValue().getArray());
    }
    int[] sourceOf = new int[layers];
    Arrays.fill(sourceOf, -1);
    for (int i = 0; i < c.layers(); i++) {
      sourceOf[(int) ((long) i * layers / c.layers())] = i;
    }
    DitModel m = create(c.withLayers(layers), source.tokenizer, 0);
    for (var p : m.network.getParameters()) {
      String key = childKey(p.getKey());
      Matcher block = BLOCK_KEY.matcher(key);
      if (block.matches()) {
        int old = sourceOf[Integer.parseInt(block.group(1))];
        if (old < 0) {
          continue; // a new block: drawn fresh, its modulation zero
        }
        key = "block" + old + block.group(2);
      }
      NDArray w = from.get(key);
      if (w == null || !w.getShape().equals(p.getValue().getArray().getShape())) {
        m.close();
        throw new IllegalStateException("cannot deepen: " + key + " is " + (w == null ? "missing" : w.getShape())
            + " in the source, " + p.getValue().getArray().getShape() + " in the deeper DiT");
      }
      Weights.replace(p.getValue(), w);
    }
    return m;
  }

  /** A parameter's key without the network's child number ("05block0_..." to "block0_..."), which depends on the depth. */
  private static String childKey(String key) {
    return key.substring(2);
  }

  /**
   * {@code source} grown to read a first frame ({@link #widenedForImage}) if {@code imageToVideo}
   * asks and it does not, and to {@code layers} blocks ({@link #deepened}) if that is more than it
   * has: {@code source} itself when neither applies, else a new model, {@code source} closed.
   */
  public static DitModel grown(DitModel source, boolean imageToVideo, int layers) {
    DitModel m = source;
    if (imageToVideo && !m.config().imageToVideo()) {
      try (DitModel textToVideo = m) {
        m = widenedForImage(textToVideo);
      }
    }
    if (layers > m.config().layers()) {
      try (DitModel shallow = m) {
        m = deepened(shallow, layers);
      }
    }
    return m;
  }

  /** Loads the float16 weights that {@link #save} wrote into {@code dir}, for a network of {@code config}. */
  public static DitModel load(Path dir, DitConfig config, Tokenizer tokenizer) throws IOException {
    DitModel m = create(config, tokenizer, 0);
    try {
      Weights.loadHalf(m.model, dir, PARAMS);
    } catch (MalformedModelException e) {
      m.close();
      throw new IOException("DiT weights in " + dir + " do not fit its config: " + e.getMessage(), e);
    }
    return m;
  }

  /** Weights as float16 and the tokenizer into {@code dir}; the weights in memory are rounded the same way. */
  public void save(Path dir) throws IOException {
    Weights.saveHalf(model, dir, PARAMS);
    tokenizer.save(dir.resolve(TOKENIZER_FILE));
  }

  /**
   * Weights in float32 and the tokenizer into {@code dir}, leaving the weights in memory as they
   * are: a snapshot of a run that goes on ({@link #load(Path, DitConfig, Tokenizer)} reads it).
   */
  public void snapshot(Path dir) throws IOException {
    model.setProperty("Epoch", "0");
    model.save(dir, PARAMS);
    tokenizer.save(dir.resolve(TOKENIZER_FILE));
  }

  public void roundToStoredPrecision() {
    Weights.roundToHalf(network);
  }

  public Model djlModel() {
    return model;
  }

  public ExpertDit network() {
    return network;
  }

  public DitConfig config() {
    return network.config();
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** Caption ids {@code [B, L]} and mask {@code [B, L]} (1 for real tokens), padded to the longest caption. */
  public NDList captions(NDManager manager, List<String> captions) {
    int[][] ids = new int[captions.size()][];
    int longest = 2;
    for (int i = 0; i < ids.length; i++) {
      ids[i] = captions.get(i) == null ? new int[] {Tokenizer.BOS, Tokenizer.EOS}
          : tokenizer.encode(captions.get(i), config().textTokens());
      longest = Math.max(longest, ids[i].length);
    }
    int[] flat = new int[ids.length * longest];
    float[] mask = new float[ids.length * longest];
    for (int i = 0; i < ids.length; i++) {
      for (int j = 0; j < ids[i].length; j++) {
        flat[i * longest + j] = ids[i][j];
        mask[i * longest + j] = 1f;
      }
    }
    return new NDList(manager.create(flat, new Shape(ids.length, longest)),
        manager.create(mask, new Shape(ids.length, longest)));
  }

  /**
   * Image conditioning for image-to-video: the clip's first latent frame, then zeros for the rest
   * ({@code [B, C, T, h, w]} from {@code [B, C, T, h, w]} latents or a 1-frame image latent).
   */
  public static NDArray firstFrameCondition(NDArray latents, long frames) {
    NDArray first = latents.get(":, :, 0:1");
    if (frames == 1) {
      return first;
    }
    Shape s = first.getShape();
    return first.concat(latents.getManager().zeros(new Shape(s.get(0), s.get(1), frames - 1, s.get(3), s.get(4))), 2);
  }

  /** v for noisy latents (with the image condition concatenated for image-to-video), one forward pass. */
  public NDArray velocity(ParameterStore ps, NDArray input, NDArray timesteps, NDList captions, boolean training) {
    return network.forward(ps, new NDList(input, timesteps, captions.get(0), captions.get(1)), training).head();
  }

  /** What every sampling step of {@code captions} over latents of {@code frames x h x w} cells shares, worked out once. */
  public ExpertDit.Context context(ParameterStore ps, NDList captions, int frames, int h, int w) {
    return network.context(captions.head().getManager(), ps, captions.get(0), captions.get(1), frames, h, w, false);
  }

  /** v for noisy latents (with the image condition for image-to-video), the captions and grid in {@code context}. */
  public NDArray velocity(ParameterStore ps, NDArray input, NDArray timesteps, ExpertDit.Context context) {
    return network.forward(ps, input, timesteps, context, false);
  }

  @Override
  public void close() {
    model.close();
  }
}
