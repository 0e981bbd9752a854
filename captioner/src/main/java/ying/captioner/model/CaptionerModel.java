package ying.captioner.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import ying.core.djl.Devices;
import ying.core.djl.Weights;
import ying.core.registry.Checkpoint;
import ying.core.text.Tokenizer;

/**
 * A captioner ready to use: the network, its tokenizer and its config, with greedy and beam
 * decoding. Frames come in as {@code uint8 [B, T, H, W, 3]} at the config's size.
 */
public final class CaptionerModel implements Captioner {
  public static final String PARAMS = "captioner";
  public static final String PARAMS_FILE = PARAMS + "-0000.params";
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private final Model model;
  private final VideoCaptioner network;
  private final Tokenizer tokenizer;
  private double windowSeconds = CaptionWindow.DEFAULT_SECONDS;

  private CaptionerModel(Model model, VideoCaptioner network, Tokenizer tokenizer) {
    this.model = model;
    this.network = network;
    this.tokenizer = tokenizer;
  }

  /** A freshly initialised model (Xavier weights) for training from scratch. */
  public static CaptionerModel create(CaptionerConfig config, Tokenizer tokenizer) {
    Model model = Model.newInstance("captioner", Devices.current());
    VideoCaptioner net = new VideoCaptioner(config);
    net.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
    model.setBlock(net);
    net.initialize(model.getNDManager(), DataType.FLOAT32, frameShape(config, 1), new Shape(1, 2));
    return new CaptionerModel(model, net, tokenizer);
  }

  /** Loads a verified checkpoint (see {@link ying.core.registry.Registry#load}). */
  public static CaptionerModel load(Checkpoint checkpoint) throws IOException {
    CaptionerConfig config = CaptionerConfig.fromJson(checkpoint.config());
    Tokenizer tokenizer = Tokenizer.load(checkpoint.file(TOKENIZER_FILE));
    CaptionerModel m = load(checkpoint.dir(), config, tokenizer);
    m.windowSeconds = CaptionWindow.of(checkpoint.manifest());
    return m;
  }

  /** Loads float16 weights that {@link #save} wrote into {@code dir}, for a network of {@code config}. */
  public static CaptionerModel load(Path dir, CaptionerConfig config, Tokenizer tokenizer) throws IOException {
    CaptionerModel m = create(config, tokenizer);
    try {
      // Checkpoints store float16 (captioner@1 stored float32); the network computes in float32.
      Weights.loadHalf(m.model, dir, PARAMS);
    } catch (MalformedModelException e) {
      m.close();
      throw new IOException("captioner weights in " + dir + " do not fit its config: " + e.getMessage(), e);
    }
    return m;
  }

  /**
   * Writes the weights (float16: half the bytes; the trainer measures its metrics after
   * {@link #roundToStoredPrecision}) and the tokenizer into {@code dir}; the config goes into the
   * manifest. The weights in memory are rounded the same way, so this model and a reload of it agree.
   */
  public void save(Path dir) throws IOException {
    Weights.saveHalf(model, dir, PARAMS);
    tokenizer.save(dir.resolve(TOKENIZER_FILE));
  }

  /** Rounds the weights to what {@link #save} stores, so metrics measured after this describe the saved model. */
  public void roundToStoredPrecision() {
    Weights.roundToHalf(network);
  }

  public Model djlModel() {
    return model;
  }

  public VideoCaptioner network() {
    return network;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public CaptionerConfig config() {
    return network.config();
  }

  static Shape frameShape(CaptionerConfig c, long batch) {
    return new Shape(batch, c.frames(), c.height(), c.width(), 3);
  }

  @Override
  public int frames() {
    return config().frames();
  }

  @Override
  public int height() {
    return config().height();
  }

  @Override
  public int width() {
    return config().width();
  }

  /** From the checkpoint's manifest; {@link CaptionWindow#DEFAULT_SECONDS} for a model not loaded from one. */
  @Override
  public double windowSeconds() {
    return windowSeconds;
  }

  @Override
  public List<Caption> caption(byte[] frames, int[] views, int beam) {
    int count = java.util.Arrays.stream(views).sum();
    CaptionerConfig c = config();
    int clipBytes = c.frames() * c.height() * c.width() * 3;
    if (frames.length != (long) count * clipBytes) {
      throw new IllegalArgumentException("expected " + count + " clips of " + c.frames() + "x" + c.height() + "x"
          + c.width() + "x3 bytes, got " + frames.length + " bytes");
    }
    try (NDManager scope = model.getNDManager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      NDArray video = network.encode(ps, scope.create(ByteBuffer.wrap(frames), frameShape(c, count), DataType.UINT8),
          false); // [B, N, D]
      return new CaptionSearch((context, prefix) -> network.decode(ps, context, prefix, false), tokenizer,
          c.maxTokens()).caption(scope, video, views, beam);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
