package ying.core.synth;

import java.util.Objects;

/**
 * One object of a scene. The start position is the object's centre in normalised world coordinates:
 * (0, 0) is the top-left and (1, 1) the bottom-right of the camera's view at the start of the scene.
 *
 * @param startAngle orientation at the start, radians clockwise; 0 shows the shape upright
 */
public record SceneObject(Shape shape, Colour colour, ObjectSize size, Motion motion,
    double startX, double startY, double startAngle) {

  public SceneObject {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(motion, "motion");
    if (!motion.suits(shape)) {
      throw new IllegalArgumentException(motion + " would not show on a " + shape);
    }
    if (!(startX >= 0 && startX <= 1 && startY >= 0 && startY <= 1)) {
      throw new IllegalArgumentException("start outside the view: " + startX + ", " + startY);
    }
    if (!Double.isFinite(startAngle)) {
      throw new IllegalArgumentException("startAngle " + startAngle);
    }
  }

  public SceneObject withStart(double startX, double startY) {
    return new SceneObject(shape, colour, size, motion, startX, startY, startAngle);
  }

  /** The attributes a caption names. */
  public ObjectDescription description() {
    return new ObjectDescription(size, colour, shape, motion);
  }
}
