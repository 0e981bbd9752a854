package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The 3D causal VAE (CogVideoX, 3.1): video {@code [B, 3, 1+4k, H, W]} in [-1, 1] to a diagonal
 * Gaussian over latents {@code [B, 16, 1+k, H/8, W/8]} and back (default config). Causal in time
 * throughout, so latent frame 0 encodes frame 0 alone and an image is a 1-frame video.
 *
 * <p>{@code forward([video])} or {@code forward([video, noise])} is the training pass: it returns
 * {@code [reconstruction, mean, logVar]}, decoding mean + std * noise (fresh noise when training
 * without one, the mean otherwise). The mean and log-variance are there for the KL term; DJL's
 * L1/L2 losses take the reconstruction alone.
 */
public final class CausalVae extends AbstractBlock {
  private final VaeConfig config;
  private final VaeEncoder encoder;
  private final VaeDecoder decoder;

  public CausalVae(VaeConfig config) {
    this.config = config;
    encoder = addChildBlock("encoder", new VaeEncoder(config));
    decoder = addChildBlock("decoder", new VaeDecoder(config));
  }

  public VaeConfig config() {
    return config;
  }

  /**
   * Freezes (or thaws) the encoder's weights, so training moves the decoder alone and the latents
   * of every clip stay what they were. Call it after the trainer is made: DJL's {@code newTrainer}
   * thaws every parameter of a model that was loaded from a file.
   */
  public void freezeEncoder(boolean frozen) {
    encoder.freezeParameters(frozen);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray video = inputs.get(0); // [B, 3, T, H, W]
    DiagonalGaussian posterior = encode(ps, video, training);
    NDArray z; // [B, C, 1+(T-1)/4, H/8, W/8]
    if (inputs.size() > 1) {
      z = posterior.sample(inputs.get(1));
    } else if (training) {
      z = posterior.sample(video.getManager().randomNormal(posterior.mean().getShape()));
    } else {
      z = posterior.mode();
    }
    return new NDList(decode(ps, z, training), posterior.mean(), posterior.logVar());
  }

  /** Video {@code [B, 3, 1+4k, H, W]} to the posterior over its latents. */
  public DiagonalGaussian encode(ParameterStore ps, NDArray video, boolean training) {
    requireFrames(video.getShape());
    NDArray moments = encoder.forward(ps, new NDList(video), training).head(); // [B, 2C, 1+k, H/8, W/8]
    return DiagonalGaussian.fromMoments(moments, config);
  }

  /** Latents {@code [B, C, 1+k, h, w]} to video {@code [B, 3, 1+4k, 8h, 8w]}, all frames at once. */
  public NDArray decode(ParameterStore ps, NDArray latents, boolean training) {
    return decoder.forward(ps, new NDList(latents), training).head();
  }

  /**
   * Decodes {@code chunkLatentFrames} latent frames at a time, carrying each causal convolution's
   * last frames from chunk to chunk, so peak memory follows the chunk, not the clip; the result
   * equals {@link #decode(ParameterStore, NDArray, boolean)} up to float rounding. Chunk outputs and
   * the result belong to the latents' manager; each chunk's intermediates are freed as it ends.
   */
  public NDArray decodeInChunks(ParameterStore ps, NDArray latents, int chunkLatentFrames) {
    if (chunkLatentFrames < 1) {
      throw new IllegalArgumentException("chunks need at least one latent frame, got " + chunkLatentFrames);
    }
    NDManager owner = latents.getManager();
    long frames = latents.getShape().get(2);
    List<NDArray> pieces = new ArrayList<>();
    try (NDManager clip = owner.newSubManager()) {
      CausalCache cache = new CausalCache(clip);
      for (long start = 0; start < frames; start += chunkLatentFrames) {
        long end = Math.min(frames, start + chunkLatentFrames);
        try (NDManager chunk = clip.newSubManager()) {
          NDArray z = latents.get(":, :, " + start + ":" + end);
          z.attach(chunk);
          NDArray video = decoder.forward(ps, new NDList(z), false, cache.asParams()).head(); // [B, 3, frames, H, W]
          video.attach(owner);
          pieces.add(video);
        }
        cache.nextChunk();
      }
    }
    NDArray whole = NDArrays.concat(new NDList(pieces), 2); // [B, 3, 1+4k, H, W]
    pieces.forEach(NDArray::close);
    return whole;
  }

  private void requireFrames(Shape video) {
    if (video.dimension() != 5 || video.get(1) != config.imageChannels()) {
      throw new IllegalArgumentException("expected video [B, " + config.imageChannels() + ", T, H, W], got " + video);
    }
    config.latentFrames(Math.toIntExact(video.get(2)));
    int f = config.spatialFactor();
    if (video.get(3) % f != 0 || video.get(4) % f != 0) {
      throw new IllegalArgumentException("height and width must be multiples of " + f + ", got " + video);
    }
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes[0]);
    decoder.initialize(manager, dataType, latentShape(inputShapes[0]));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape latent = latentShape(inputShapes[0]);
    return new Shape[] {decoder.getOutputShapes(new Shape[] {latent})[0], latent, latent};
  }

  private Shape latentShape(Shape video) {
    Shape moments = encoder.getOutputShapes(new Shape[] {video})[0];
    return new Shape(moments.get(0), config.latentChannels(), moments.get(2), moments.get(3), moments.get(4));
  }
}
