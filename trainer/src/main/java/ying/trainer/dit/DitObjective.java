package ying.trainer.dit;

import java.io.Serializable;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * What each DiT training step's loss asks of the network beside fitting v: which captions and first
 * frames it hides, whether lies about direction or shape must cost, and at which noise levels it is
 * asked.
 *
 * @param captionDropout share of captions replaced by the empty caption, for classifier-free guidance
 * @param imageDropout image-to-video only: share of clips whose first-frame condition is zeroed, so
 *     one network also learns to go from the caption alone
 * @param directionContrast weight of a hinge that asks each clip's loss under its caption to be lower
 *     than under the caption with its directions turned round (0: none)
 * @param shapeContrast weight of the same hinge with each object's shape changed instead (0: none)
 * @param noiseTilt how a clip's noise step t of T is drawn: 1 uniformly; k with density k (t/T)^(k-1),
 *     so above 1 more of the steps land near pure noise, where where and what the objects are is
 *     decided, and below 1 more near the clean end, where their detail is
 * @param objectWeight how much more a latent cell that objects wholly cover counts in the v-loss than
 *     one they miss (each cell weighs 1 + objectWeight times its object cover; 0: all alike). Shapes
 *     live in the few cells of each object's outline, which an even loss pays little for; the
 *     clips must carry their object cover ({@link ying.core.dataset.DatasetBatch#objectCover})
 */
public record DitObjective(float captionDropout, float imageDropout, float directionContrast, float shapeContrast,
    float noiseTilt, float objectWeight) implements Serializable {

  /** The val loss's: every caption and frame kept, no hinge, steps drawn uniformly, cells alike. */
  public static final DitObjective PLAIN = new DitObjective(0f, 0f, 0f, 0f, 1f);

  /** Every latent cell alike. */
  public DitObjective(float captionDropout, float imageDropout, float directionContrast, float shapeContrast,
      float noiseTilt) {
    this(captionDropout, imageDropout, directionContrast, shapeContrast, noiseTilt, 0f);
  }

  public DitObjective {
    if (!(captionDropout >= 0 && captionDropout < 1)) {
      throw new IllegalArgumentException("caption dropout must lie in [0, 1), got " + captionDropout);
    }
    if (!(imageDropout >= 0 && imageDropout < 1)) {
      throw new IllegalArgumentException("image dropout must lie in [0, 1), got " + imageDropout);
    }
    if (!(directionContrast >= 0) || !(shapeContrast >= 0)) {
      throw new IllegalArgumentException("direction and shape contrasts must be 0 or more, got " + directionContrast
          + " and " + shapeContrast);
    }
    if (!(noiseTilt > 0 && noiseTilt <= 16)) {
      throw new IllegalArgumentException("noise tilt must lie in (0, 16], got " + noiseTilt);
    }
    if (!(objectWeight >= 0 && objectWeight <= 100)) {
      throw new IllegalArgumentException("object weight must lie in [0, 100], got " + objectWeight);
    }
    if (objectWeight > 0 && (directionContrast > 0 || shapeContrast > 0)) {
      throw new IllegalArgumentException("an object weight does not combine with a direction or shape contrast:"
          + " their hinges compare even losses");
    }
  }

  /** Caption dropout alone, the rest as {@link #PLAIN}. */
  public static DitObjective captionDropout(float share) {
    return new DitObjective(share, 0f, 0f, 0f, 1f);
  }

  /** A noise step of {@code steps}; a tilt of 1 draws one int from rng, as runs made before the tilt did. */
  int drawStep(Random rng, int steps) {
    if (noiseTilt == 1f) {
      return rng.nextInt(steps);
    }
    double u = rng.nextDouble();
    return Math.min(steps - 1, (int) (steps * Math.pow(u, 1.0 / noiseTilt)));
  }

  /**
   * The facts a run's manifest records beside its command: each setting that is not the plain one,
   * handed to {@code facts} ({@code map::put} or a JSON object's {@code put}).
   */
  public void record(BiConsumer<String, Float> facts) {
    if (imageDropout > 0) {
      facts.accept("image_dropout", imageDropout);
    }
    if (directionContrast > 0) {
      facts.accept("direction_contrast", directionContrast);
    }
    if (shapeContrast > 0) {
      facts.accept("shape_contrast", shapeContrast);
    }
    if (noiseTilt != 1f) {
      facts.accept("noise_tilt", noiseTilt);
    }
    if (objectWeight > 0) {
      facts.accept("object_weight", objectWeight);
    }
  }
}
