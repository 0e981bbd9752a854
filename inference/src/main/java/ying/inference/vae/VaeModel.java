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
import ying.core.djl.Weights;
import ying.core.registry.Checkpoint;

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
    Model model = Model.newInstance("vae");
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

  static VaeModel load(Path dir, VaeConfig config) throws IOException {
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

  /** The posterior over the latents of {@code video} {@code [B, 3, 1+4k, H, W]}; its arrays join the video's manager. */
  public DiagonalGaussian encode(NDArray video) {
    NDManager owner = video.getManager();
    try (NDManager scope = owner.newSubManager()) {
      video.tempAttach(scope);
      DiagonalGaussian posterior = network.encode(new ParameterStore(scope, false), video, false);
      posterior.mean().attach(owner);
      posterior.logVar().attach(owner);
      return posterior;
    }
  }

  /** The posterior over the latents of B clips of uint8 {@code [T, H, W, 3]} frames, owned by {@code manager}. */
  public DiagonalGaussian encode(NDManager manager, byte[] frames, int t, int h, int w) {
    return encode(VideoTensors.fromBytes(manager, frames, t, h, w));
  }

  /**
   * Latents {@code [B, C, 1+k, h, w]} to video {@code [B, 3, 1+4k, 8h, 8w]} (default config),
   * {@code chunkLatentFrames} latent frames at a time; owned by the latents' manager.
   */
  public NDArray decode(NDArray latents, int chunkLatentFrames) {
    return network.decodeInChunks(new ParameterStore(latents.getManager(), false), latents, chunkLatentFrames);
  }

  @Override
  public void close() {
    model.close();
  }
}
