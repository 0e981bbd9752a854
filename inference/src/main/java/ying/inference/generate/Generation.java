package ying.inference.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import ying.inference.dit.DdimSampler;
import ying.inference.dit.DitModel;
import ying.inference.dit.ExpertDit;
import ying.inference.dit.NoiseSchedule;
import ying.inference.dit.Sampler;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.inference.vae.VideoTensors;

/**
 * Text (and optionally a first frame) to video frames: DDIM or DPM-Solver++ sampling of the DiT's
 * latents with classifier-free guidance, then the VAE's decode. Pure: no files, so tests and the
 * batch job call it directly.
 */
public final class Generation {
  private Generation() {}

  /**
   * @param image the first frame as {@code height x width x 3} RGB bytes (image-to-video), or null
   * @param sampler one of {@link Sampler#NAMES}
   */
  public record Request(String prompt, byte[] image, int frames, int height, int width, int steps, float guidance,
      long seed, String sampler) {
    public Request {
      if (steps < 1 || frames < 1 || height < 1 || width < 1 || !(guidance >= 0)) {
        throw new IllegalArgumentException("bad request: " + frames + " frames of " + width + "x" + height + ", "
            + steps + " steps, guidance " + guidance);
      }
      Sampler.named(sampler, NoiseSchedule.defaults()); // refused here, before any model work
    }
  }

  /** {@code frames x height x width x 3} RGB bytes. */
  public static byte[] run(DitModel dit, VaeModel vae, Request r, IntConsumer progress) {
    VaeConfig v = vae.config();
    int latentFrames = v.latentFrames(r.frames());
    int f = v.spatialFactor() * dit.config().patch();
    if (r.height() % f != 0 || r.width() % f != 0) {
      throw new IllegalArgumentException("height and width must be multiples of " + f + ", got " + r.width() + "x"
          + r.height());
    }
    if (r.image() != null && !dit.config().imageToVideo()) {
      throw new IllegalArgumentException("this checkpoint is text-to-video: drop --image");
    }
    if (r.image() == null && !dit.samplesFromTextAlone()) {
      throw new IllegalArgumentException("this checkpoint is image-to-video and never learnt without a first frame:"
          + " pass --image (a DiT trained with --image-dropout samples from text alone too)");
    }
    Shape shape = new Shape(1, dit.config().latentChannels(), latentFrames, r.height() / v.spatialFactor(),
        r.width() / v.spatialFactor());
    try (NDManager scope = dit.djlModel().getNDManager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      NDArray scale = scope.create(dit.config().latentScale());
      NDArray condition = null;
      if (r.image() != null) {
        NDArray first = vae.encode(scope, r.image(), 1, r.height(), r.width()).mode().mul(scale); // [1, C, 1, h, w]
        condition = DitModel.firstFrameCondition(first, latentFrames).repeat(0, 2); // both halves of the batch
      } else if (dit.config().imageToVideo()) {
        condition = scope.zeros(new Shape(2, shape.get(1), shape.get(2), shape.get(3), shape.get(4))); // as image dropout
      }
      List<String> both = new ArrayList<>(Arrays.asList(r.prompt(), null)); // conditional, unconditional
      ExpertDit.Context prompts = dit.context(ps, dit.captions(scope, both), latentFrames,
          Math.toIntExact(shape.get(3)), Math.toIntExact(shape.get(4)));
      NDArray cond = condition;
      Sampler.VelocityModel model = (x, t) -> {
        NDArray pair = x.repeat(0, 2); // one batch of two: with the prompt and without
        NDArray input = cond == null ? pair : pair.concat(cond, 1);
        NDArray out = dit.velocity(ps, input, x.getManager().create(new float[] {t, t}), prompts);
        return new NDArray[] {out.get("0:1"), out.get("1:2")};
      };
      NDArray latents = Sampler.named(r.sampler(), NoiseSchedule.defaults())
          .sample(model, DdimSampler.noise(scope, shape, r.seed()), r.steps(), r.guidance(), progress);
      NDArray video = vae.decode(latents.div(scale), latentFrames);
      return VideoTensors.toBytes(video);
    }
  }
}
