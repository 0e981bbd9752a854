package ying.inference.generate;

import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.registry.Registry;

/** What to sample with and how: the options generate, generate-batch and eval-generation share. */
public final class SamplingOptions {
  @Option(names = "--checkpoint", defaultValue = "dit", paramLabel = "REF",
      description = "DiT checkpoint in --registry. Default: ${DEFAULT-VALUE} (the latest).")
  String checkpoint;

  @Option(names = "--registry", paramLabel = "URI", description = "Default: models/ of this checkout.")
  String registry;

  @Option(names = "--vae", paramLabel = "REF",
      description = {"Decode with this VAE of --registry instead of the one the checkpoint names. It must make the",
          "same latents (a decoder trained on with train-vae --decoder-only). Default: the checkpoint's own."})
  String vae;

  @Option(names = "--frames", defaultValue = "49", description = "1+4k frames. Default: ${DEFAULT-VALUE}.")
  int frames;

  @Option(names = "--width", defaultValue = "96", description = "Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(names = "--height", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
  int height;

  @Option(names = "--fps", defaultValue = "8", description = "Frames per second of the MP4. Default: ${DEFAULT-VALUE}.")
  double fps;

  @Option(names = "--steps", defaultValue = "50", description = "Sampling steps. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = "--sampler", defaultValue = "ddim", paramLabel = "NAME",
      description = {"ddim, or dpm++ (DPM-Solver++(2M): second order at the cost of DDIM per step, so fewer",
          "--steps do). Default: ${DEFAULT-VALUE}."})
  String sampler;

  @Option(names = "--guidance", defaultValue = "6", description = "Classifier-free guidance. Default: ${DEFAULT-VALUE}.")
  float guidance;

  @Option(names = "--seed", defaultValue = "0",
      description = "Noise seed; in a prompts file, line i gets seed + i. Default: ${DEFAULT-VALUE}.")
  long seed;

  /** {@code --registry} as given; null when it was not. */
  public String registryOption() {
    return registry;
  }

  /** The registry root, absolute: {@code --registry} or the default one. */
  public String registryRoot() {
    return Storage.normalise(registry == null ? Registry.defaultRoot() : registry);
  }

  public String checkpoint() {
    return checkpoint;
  }

  /** {@code --vae}, or null for the VAE the checkpoint names. */
  public String vae() {
    return vae;
  }

  public int frames() {
    return frames;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public double fps() {
    return fps;
  }

  public int steps() {
    return steps;
  }

  public String sampler() {
    return sampler;
  }

  public float guidance() {
    return guidance;
  }

  public long seed() {
    return seed;
  }
}
