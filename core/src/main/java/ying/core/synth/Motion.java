package ying.core.synth;

import java.util.Optional;

/**
 * What an object does during its scene, in world coordinates (so a still object drifts on screen
 * when the camera pans). Travel and growth are spread over the whole scene so that the object stays
 * in view for any duration; spin is a constant rate.
 */
public enum Motion {
  MOVES_LEFT("moves left", -Motion.TRAVEL_X, 0, 1, 1, 0),
  MOVES_RIGHT("moves right", Motion.TRAVEL_X, 0, 1, 1, 0),
  MOVES_UP("moves up", 0, -Motion.TRAVEL_Y, 1, 1, 0),
  MOVES_DOWN("moves down", 0, Motion.TRAVEL_Y, 1, 1, 0),
  GROWS("grows", 0, 0, Motion.SMALLEST, 2 * Motion.SMALLEST, 0),
  SHRINKS("shrinks", 0, 0, 2 * Motion.SMALLEST, Motion.SMALLEST, 0),
  /** A quarter turn per second, clockwise on screen. Never paired with CIRCLE, which would look still. */
  ROTATES("rotates", 0, 0, 1, 1, Math.PI / 2),
  STAYS_STILL("stays still", 0, 0, 1, 1, 0);

  /** Frame widths; with a camera pan of the same size the other way, a large object still fits. */
  private static final double TRAVEL_X = 0.35;
  /** Frame heights; leaves room for a large object under a 1.5x zoom. */
  private static final double TRAVEL_Y = 0.35;
  /** Growth spans 0.6..1.2 of the nominal radius: a factor 2, and still inside the frame under zoom. */
  private static final double SMALLEST = 0.6;

  private final String phrase;
  private final double travelX;
  private final double travelY;
  private final double startScale;
  private final double endScale;
  private final double radiansPerSecond;

  Motion(String phrase, double travelX, double travelY, double startScale, double endScale,
      double radiansPerSecond) {
    this.phrase = phrase;
    this.travelX = travelX;
    this.travelY = travelY;
    this.startScale = startScale;
    this.endScale = endScale;
    this.radiansPerSecond = radiansPerSecond;
  }

  public String phrase() {
    return phrase;
  }

  /** Horizontal displacement over the scene, in frame widths. */
  public double travelX() {
    return travelX;
  }

  /** Vertical displacement over the scene, in frame heights (positive is down). */
  public double travelY() {
    return travelY;
  }

  public double startScale() {
    return startScale;
  }

  public double endScale() {
    return endScale;
  }

  /** Clockwise on screen. */
  public double radiansPerSecond() {
    return radiansPerSecond;
  }

  /** ROTATES needs a shape whose turning shows. */
  public boolean suits(Shape shape) {
    return !(this == ROTATES && shape == Shape.CIRCLE);
  }

  /**
   * The motion seen in a left-right mirror image, as the caption names it. A mirrored ROTATES turns
   * anticlockwise, which the grammar still calls "rotates": it names no direction of spin.
   */
  public Motion mirrored() {
    return switch (this) {
      case MOVES_LEFT -> MOVES_RIGHT;
      case MOVES_RIGHT -> MOVES_LEFT;
      default -> this;
    };
  }

  public static Optional<Motion> fromPhrase(String text) {
    return Phrases.find(values(), Motion::phrase, text);
  }
}
