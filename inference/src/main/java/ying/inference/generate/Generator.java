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
    try (Checkpoint ditCkpt = registry.load(checkpoint)) {
      String vaeRef = ditCkpt.manifest().path("vae").asText(null);
      if (vaeRef == null) {
        throw new IllegalArgumentException(ditCkpt.ref() + " does not name the VAE it was trained with");
      }
      DitModel dit = DitModel.load(ditCkpt);
      try (Checkpoint vaeCkpt = registry.load(ModelRef.parse(vaeRef))) {
        return new Generator(dit, VaeModel.load(vaeCkpt), ditCkpt.ref(), vaeCkpt.ref());
      } catch (IOException | RuntimeException e) {
        dit.close();
        throw e;
      }
    }
  }

  @Override
  public void close() {
    try (dit) {
      vae.close();
    }
  }
}
