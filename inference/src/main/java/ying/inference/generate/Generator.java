package ying.inference.generate;

import java.io.IOException;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.inference.dit.DitModel;
import ying.inference.vae.VaeModel;

/**
 * A DiT checkpoint loaded with the VAE its manifest names (the one whose latents it learned), as
 * every generation path needs them: {@code generate}, the batch job, the sampler benchmark.
 */
public record Generator(DitModel dit, VaeModel vae, ModelRef ditRef, ModelRef vaeRef) implements AutoCloseable {

  public static Generator load(Registry registry, ModelRef checkpoint) throws IOException {
    return load(registry, checkpoint, null);
  }

  /**
   * As above, decoding with {@code vae} instead of the VAE the DiT names when it is not null. It must
   * make the same latents as the named one ({@link VaeModel#sameLatentsAs}: a decoder trained on with
   * {@code train-vae --decoder-only}), or the DiT's samples would mean nothing to it.
   */
  public static Generator load(Registry registry, ModelRef checkpoint, ModelRef vae) throws IOException {
    try (Checkpoint ditCkpt = registry.load(checkpoint)) {
      String named = ditCkpt.manifest().path("vae").asText(null);
      if (named == null) {
        throw new IllegalArgumentException(ditCkpt.ref() + " does not name the VAE it was trained with");
      }
      DitModel dit = DitModel.load(ditCkpt);
      try {
        VaeModel decoder = loadVae(registry, ModelRef.parse(named), vae, ditCkpt.ref());
        return new Generator(dit, decoder, ditCkpt.ref(), registry.resolve(vae == null ? ModelRef.parse(named) : vae));
      } catch (IOException | RuntimeException e) {
        dit.close();
        throw e;
      }
    }
  }

  private static VaeModel loadVae(Registry registry, ModelRef named, ModelRef override, ModelRef dit)
      throws IOException {
    if (override == null || registry.resolve(override).equals(registry.resolve(named))) {
      try (Checkpoint c = registry.load(named)) {
        return VaeModel.load(c);
      }
    }
    return VaeModel.loadMakingLatentsOf(registry, named, override, dit.toString());
  }

  @Override
  public void close() {
    try (dit) {
      vae.close();
    }
  }
}
