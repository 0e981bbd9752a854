package ying.inference.vae;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.io.IOException;
import java.nio.file.Path;
import ying.core.djl.Devices;
import ying.core.djl.Weights;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;

/**
 * A causal VAE ready to use: the network and its config, with float16 checkpoints. Encodes clips
 * (uint8 frames or video tensors) to their latent posterior and decodes latents chunk by chunk.
 */
public final class VaeModel implements AutoCloseable {
  public static final String PARAMS = "vae";
  public static final String PARAMS_FILE = PARAMS + "-0000.params";

  private final Model model;
  private final CausalVae network;

  private VaeModel(Model model, CausalVae network) {
    this.model = model;
    this.network = network;
  }

  /**
   * A freshly initialised model (Xavier weights drawn after seeding the engine's generator with
   * {@code seed}) for training from scratch.
   */
  public static VaeModel create(VaeConfig config, long seed) {
    Model model = Model.newInstance("vae", Devices.current());
    CausalVae net = new CausalVae(config);
    net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    model.setBlock(net);
    Engine.getInstance().setRandomSeed((int) seed);
    int f = config.spatialFactor();
    net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, config.imageChannels(), 1, f, f));
    return new VaeModel(model, net);
  }

  /** Loads a verified checkpoint (see {@link ying.core.registry.Registry#load}). */
  public static VaeModel load(Checkpoint checkpoint) throws IOException {
    return load(checkpoint.dir(), VaeConfig.fromJson(checkpoint.config()));
  }

  /** Loads float16 weights that {@link #save} wrote into {@code dir}, for a network of {@code config}. */
  public static VaeModel load(Path dir, VaeConfig config) throws IOException {
    VaeModel m = create(config, 0);
    try {
      Weights.loadHalf(m.model, dir, PARAMS);
    } catch (MalformedModelException e) {
      m.close();
      throw new IOException("VAE weights in " + dir + " do not fit its config: " + e.getMessage(), e);
    }
    return m;
  }

  /**
   * Writes the weights into {@code dir} as float16 (half the bytes); the config goes into the
   * manifest. The weights in memory are rounded the same way, so this model and a reload of it agree.
   */
  public void save(Path dir) throws IOException {
    Weights.saveHalf(model, dir, PARAMS);
  }

  /** Rounds the weights to what {@link #save} stores, so metrics measured after this describe the saved model. */
  public void roundToStoredPrecision() {
    Weights.roundToHalf(network);
  }

  public Model djlModel() {
    return model;
  }

  public CausalVae network() {
    return network;
  }

  public VaeConfig config() {
    return network.config();
  }

  /**
   * Loads {@code other} from {@code registry} to decode what {@code user} (a DiT) samples in the
   * latents of {@code named}, refusing it unless it makes those latents ({@link #sameLatentsAs}).
   */
  public static VaeModel loadMakingLatentsOf(Registry registry, ModelRef named, ModelRef other, String user)
      throws IOException {
    try (Checkpoint a = registry.load(named); VaeModel trained = load(a); Checkpoint b = registry.load(other)) {
      VaeModel decoder = load(b);
      if (!trained.sameLatentsAs(decoder)) {
        decoder.close();
        throw new IllegalArgumentException(b.ref() + " does not make the latents of " + a.ref() + ", which " + user
            + " learnt (its encoder differs), so it cannot decode " + user + "'s samples; a VAE trained from "
            + a.ref() + " with train-vae --decoder-only can");
      }
      return decoder;
    }
  }

  /**
   * Whether {@code other} turns every clip into the same latents as this VAE: the same config and
   * the same encoder weights, as after {@code train-vae --decoder-only}. Such a VAE can decode what
   * a DiT trained on this one's latents samples.
   */
  public boolean sameLatentsAs(VaeModel other) {
    if (!config().equals(other.config())) {
      return false;
    }
    var mine = network.getChildren().get("01encoder").getParameters();
    var theirs = other.network.getChildren().get("01encoder").getParameters();
    for (int i = 0; i < mine.size(); i++) {
      if (!mine.valueAt(i).getArray().contentEquals(theirs.valueAt(i).getArray())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The posterior over the latents of {@code video} {@code [B, 3, 1+4k, H, W]}, after the config's
   * still lead-in ({@link VaeConfig#settleLatents}); its arrays join the video's manager.
   */
  public DiagonalGaussian encode(NDArray video) {
    NDManager owner = video.getManager();
    int settle = config().settleLatents();
    try (NDManager scope = owner.newSubManager()) {
      video.tempAttach(scope);
      NDArray input = settle == 0 ? video : leadIn(video, settle * config().temporalFactor());
      DiagonalGaussian posterior = network.encode(new ParameterStore(scope, false), input, false);
      NDArray mean = posterior.mean();
      NDArray logVar = posterior.logVar();
      if (settle > 0) {
        mean = mean.get(":, :, " + settle + ":");
        logVar = logVar.get(":, :, " + settle + ":");
      }
      mean.attach(owner);
      logVar.attach(owner);
      return new DiagonalGaussian(mean, logVar);
    }
  }

  /** {@code copies} copies of time step 0 of {@code x} {@code [B, C, T, ...]}, then {@code x}. */
  private static NDArray leadIn(NDArray x, int copies) {
    return x.get(":, :, 0:1").repeat(2, copies).concat(x, 2);
  }

  /** The posterior over the latents of B clips of uint8 {@code [T, H, W, 3]} frames, owned by {@code manager}. */
  public DiagonalGaussian encode(NDManager manager, byte[] frames, int t, int h, int w) {
    return encode(VideoTensors.fromBytes(manager, frames, t, h, w));
  }

  /**
   * Latents as dataset shards store them: the posterior means of B clips of uint8 {@code [T, H, W, 3]}
   * frames, as float16 little-endian {@code [B, C, 1+k, H/8, W/8]}, and one clip's shape.
   */
  public record HalfLatents(byte[] bytes, int[] clipShape) {}

  /** {@link HalfLatents} of B clips; the tensors are freed before it returns. */
  public HalfLatents encodeMeansAsHalf(byte[] frames, int t, int h, int w) {
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray mean = encode(scope, frames, t, h, w).mean();
      long[] shape = mean.getShape().slice(1).getShape();
      int[] clip = new int[shape.length];
      for (int i = 0; i < shape.length; i++) {
        clip[i] = Math.toIntExact(shape[i]);
      }
      return new HalfLatents(mean.toType(DataType.FLOAT16, false).toByteArray(), clip);
    }
  }

  /**
   * Latents {@code [B, C, 1+k, h, w]} to video {@code [B, 3, 1+4k, 8h, 8w]} (default config),
   * {@code chunkLatentFrames} latent frames at a time, after the config's still lead-in of copies of
   * latent frame 0 ({@link VaeConfig#settleLatents}); owned by the latents' manager.
   */
  public NDArray decode(NDArray latents, int chunkLatentFrames) {
    int settle = config().settleLatents();
    NDManager owner = latents.getManager();
    if (settle == 0) {
      return network.decodeInChunks(new ParameterStore(owner, false), latents, chunkLatentFrames);
    }
    try (NDManager scope = owner.newSubManager()) {
      latents.tempAttach(scope); // so the lead-in's copies are freed with the scope, as in encode
      NDArray led = leadIn(latents, settle);
      NDArray video = network.decodeInChunks(new ParameterStore(scope, false), led, chunkLatentFrames);
      NDArray clip = video.get(":, :, " + settle * config().temporalFactor() + ":");
      clip.attach(owner);
      return clip;
    }
  }

  /**
   * As {@link #decode}, in overlapping spatial tiles of {@code tile x tile} latent cells blended
   * linearly across {@code overlap} cells, so peak memory follows the tile, not the frame. Tiles see
   * less context than the whole frame (and GroupNorm statistics of their own part), so the result
   * approximates a whole decode rather than equalling it; a tile at least as large as the latents
   * is exactly a whole decode.
   */
  public NDArray decodeTiled(NDArray latents, int chunkLatentFrames, int tile, int overlap) {
    Shape s = latents.getShape(); // [B, C, t, h, w]
    if (tile < 1 || overlap < 0 || overlap >= tile) {
      throw new IllegalArgumentException("tiles need 0 <= overlap < tile, got tile " + tile + ", overlap " + overlap);
    }
    int h = Math.toIntExact(s.get(3));
    int w = Math.toIntExact(s.get(4));
    if (tile >= h && tile >= w) {
      return decode(latents, chunkLatentFrames);
    }
    int f = config().spatialFactor();
    int[] ys = TileBlend.starts(h, tile, overlap);
    int[] xs = TileBlend.starts(w, tile, overlap);
    TileBlend blend = null;
    NDManager owner = latents.getManager();
    for (int y0 : ys) {
      for (int x0 : xs) {
        int th = Math.min(tile, h - y0);
        int tw = Math.min(tile, w - x0);
        try (NDManager scope = owner.newSubManager()) {
          NDArray part = latents.get(":, :, :, " + y0 + ":" + (y0 + th) + ", " + x0 + ":" + (x0 + tw));
          part.attach(scope);
          NDArray video = decode(part, chunkLatentFrames); // [B, 3, T, f*th, f*tw]
          Shape v = video.getShape();
          if (blend == null) {
            blend = new TileBlend(v.get(0), v.get(1), v.get(2), (long) f * h, (long) f * w);
          }
          blend.add(video.toFloatArray(), f * y0, f * x0, f * th, f * tw, f * overlap, y0 > 0, y0 + th < h, x0 > 0,
              x0 + tw < w);
        }
      }
    }
    return owner.create(blend.result(), blend.shape());
  }

  @Override
  public void close() {
    model.close();
  }
}
