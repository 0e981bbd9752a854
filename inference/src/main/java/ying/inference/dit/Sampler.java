package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A sampler of the diffusion ODE for a v-predicting model with classifier-free guidance: from noise
 * at the schedule's last step to clean latents, deterministically.
 */
public interface Sampler {
  /** The names {@link #named} takes, the first the default. */
  List<String> NAMES = List.of("ddim", "dpm++");

  /** A velocity prediction for noisy latents at diffusion step {@code t}: conditioned on the prompt or not. */
  interface VelocityModel {
    /** Both predictions at once (one batched forward is cheaper): {@code [conditional, unconditional]}. */
    NDArray[] predict(NDArray noisy, int t);
  }

  /**
   * Runs {@code steps} steps from {@code start} (pure noise, at the schedule's last step) and returns
   * the clean latents; {@code progress} hears each finished step.
   */
  NDArray sample(VelocityModel model, NDArray start, int steps, float guidance, IntConsumer progress);

  /** {@code ddim} or {@code dpm++}. */
  static Sampler named(String name, NoiseSchedule schedule) {
    return switch (name) {
      case "ddim" -> new DdimSampler(schedule);
      case "dpm++" -> new DpmSolverPlusPlus(schedule);
      default -> throw new IllegalArgumentException("the sampler must be one of " + NAMES + ", got '" + name + "'");
    };
  }

  /** Classifier-free guidance (Ho and Salimans, 2022): {@code v_u + g * (v_c - v_u)}. */
  static NDArray guided(NDArray[] v, float guidance, NDManager manager) {
    return v[1].add(v[0].sub(v[1]).mul(manager.create(guidance)));
  }

  /**
   * Runs one sampling step so that what it makes is freed when it ends, except the arrays it returns;
   * {@code spent} (arrays of earlier steps that no later step reads) are freed with it. Every array
   * made while a step runs goes into one {@link NDScope}, whatever manager it is attached to.
   *
   * <p>Without this, every intermediate of every step lives until the clip is done (they are all
   * attached to the clip's manager): some 50 MB a step of the release DiT, gigabytes a clip, and
   * since no freed memory can be reused, each step writes its activations to fresh pages the kernel
   * has to zero first, a quarter of the sampler's time on two cores.
   */
  static NDArray[] step(Supplier<NDArray[]> body, NDArray... spent) {
    try (NDScope scope = new NDScope()) {
      for (NDArray a : spent) {
        if (a != null) {
          NDScope.register(a);
        }
      }
      NDArray[] kept = body.get();
      NDScope.unregister(kept);
      return kept;
    }
  }
}
