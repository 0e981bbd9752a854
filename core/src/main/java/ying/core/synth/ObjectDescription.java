package ying.core.synth;

import java.util.Objects;

/** What a caption says about one object, in caption word order: "a large red circle moves right". */
public record ObjectDescription(ObjectSize size, Colour colour, Shape shape, Motion motion) {

  public ObjectDescription {
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(motion, "motion");
  }
}
