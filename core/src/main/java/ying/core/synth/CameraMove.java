package ying.core.synth;

import java.util.Optional;

/**
 * Camera motion over a scene. PAN_LEFT moves the view left through the world, so the world slides
 * right on screen. Like object travel, pan and zoom are spread over the whole scene.
 */
public enum CameraMove {
  STATIC("is static", 0, 1),
  PAN_LEFT("pans left", -CameraMove.PAN, 1),
  PAN_RIGHT("pans right", CameraMove.PAN, 1),
  ZOOM_IN("zooms in", 0, 1.5);

  /** Frame widths; bounded so that objects placed in view stay there (see Motion.TRAVEL_X). */
  private static final double PAN = 0.35;

  private final String phrase;
  private final double panX;
  private final double endZoom;

  CameraMove(String phrase, double panX, double endZoom) {
    this.phrase = phrase;
    this.panX = panX;
    this.endZoom = endZoom;
  }

  /** The verb phrase, as in "pans left". */
  public String phrase() {
    return phrase;
  }

  /** The caption sentence, as in "The camera pans left.". */
  public String sentence() {
    return "The camera " + phrase + ".";
  }

  /** View displacement over the scene, in frame widths (negative is left). */
  public double panX() {
    return panX;
  }

  /** Magnification reached at the end of the scene, about the frame centre. */
  public double endZoom() {
    return endZoom;
  }

  /** The move seen in a left-right mirror image of the scene. */
  public CameraMove mirrored() {
    return switch (this) {
      case PAN_LEFT -> PAN_RIGHT;
      case PAN_RIGHT -> PAN_LEFT;
      default -> this;
    };
  }

  public static Optional<CameraMove> fromPhrase(String text) {
    return Phrases.find(values(), CameraMove::phrase, text);
  }
}
