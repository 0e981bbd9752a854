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
import ying.core.registry.Checkpoint;

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

  private CaptionerModel(Model model, VideoCaptioner network, Tokenizer tokenizer) {
    this.model = model;
    this.network = network;
    this.tokenizer = tokenizer;
  }

  /** A freshly initialised model (Xavier weights) for training from scratch. */
  public static CaptionerModel create(CaptionerConfig config, Tokenizer tokenizer) {
    Model model = Model.newInstance("captioner");
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
    return load(checkpoint.dir(), config, tokenizer);
  }

  static CaptionerModel load(Path dir, CaptionerConfig config, Tokenizer tokenizer) throws IOException {
    CaptionerModel m = create(config, tokenizer);
    try {
      m.model.load(dir, PARAMS);
      // Checkpoints store float16 (captioner@1 stored float32); the network computes in float32.
      m.castWeights(DataType.FLOAT32);
    } catch (MalformedModelException e) {
      m.close();
      throw new IOException("captioner weights in " + dir + " do not fit its config: " + e.getMessage(), e);
    }
    return m;
  }

  /**
   * Writes the weights (float16: half the bytes, and greedy captions unchanged; see
   * {@link #roundToStoredPrecision}) and the tokenizer into {@code dir}; the config goes into the
   * manifest. The weights in memory are rounded the same way, so this model and a reload of it agree.
   */
  public void save(Path dir) throws IOException {
    model.setProperty("Epoch", "0");
    castWeights(DataType.FLOAT16);
    try {
      model.save(dir, PARAMS);
    } finally {
      castWeights(DataType.FLOAT32);
    }
    tokenizer.save(dir.resolve(TOKENIZER_FILE));
  }

  /** Rounds the weights to what {@link #save} stores, so metrics measured after this describe the saved model. */
  public void roundToStoredPrecision() {
    castWeights(DataType.FLOAT16);
    castWeights(DataType.FLOAT32);
  }

  /**
   * Swaps each parameter's array for a cast copy. DJL's {@code Block.cast} is not implemented and
   * {@code Parameter.setArray} refuses a shaped parameter, but {@code Parameter.load} replaces the
   * array: so each one is re-read from its own serialised form with the cast data.
   */
  private void castWeights(DataType type) {
    try {
      for (ai.djl.nn.Parameter p : network.getParameters().values()) {
        NDArray old = p.getArray();
        if (old.getDataType() == type) {
          continue;
        }
        java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
        p.save(new java.io.DataOutputStream(saved));
        byte version = saved.toByteArray()[2]; // after the 2-byte 'P' marker
        java.io.ByteArrayOutputStream recast = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(recast);
        out.writeChar('P');
        out.writeByte(version);
        out.writeUTF(p.getName());
        try (NDArray cast = old.toType(type, true)) {
          out.write(cast.encode());
        }
        p.load(old.getManager(), new java.io.DataInputStream(new java.io.ByteArrayInputStream(recast.toByteArray())));
        old.close();
      }
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException("cannot cast the captioner's weights to " + type, e);
    }
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

  @Override
  public List<Caption> caption(byte[] frames, int count, int beam) {
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
          c.maxTokens()).caption(scope, video, count, beam);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
