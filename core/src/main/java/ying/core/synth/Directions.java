package ying.core.synth;

import java.util.Random;
import java.util.regex.Pattern;

/**
 * A caption with its directions turned round: the camera's pan ("pans left" for "pans right") or
 * each object's travel (left for right, up for down). The turned caption describes a clip that moves
 * the other way, so a model that reads the words must score it worse against the true clip.
 */
public final class Directions {
  private static final Pattern CAMERA = Pattern.compile("\\bpans (left|right)\\b");
  private static final Pattern OBJECT = Pattern.compile("\\bmoves (left|right|up|down)\\b");

  private Directions() {}

  /** The caption with "pans left" and "pans right" exchanged. */
  public static String turnCamera(String caption) {
    return Phrases.replaceGroup(CAMERA, caption, 1, Directions::opposite);
  }

  /** The caption with each object's "moves left/right/up/down" turned to the opposite direction. */
  public static String turnObjects(String caption) {
    return Phrases.replaceGroup(OBJECT, caption, 1, Directions::opposite);
  }

  /**
   * The caption with its camera or its objects turned round, the one drawn from {@code rng} when it
   * names both (a draw only then); null when it names no direction.
   */
  public static String turnEither(String caption, Random rng) {
    String camera = turnCamera(caption);
    String objects = turnObjects(caption);
    boolean hasCamera = !camera.equals(caption);
    boolean hasObjects = !objects.equals(caption);
    if (hasCamera && hasObjects) {
      return rng.nextBoolean() ? camera : objects;
    }
    return hasCamera ? camera : hasObjects ? objects : null;
  }

  private static String opposite(String direction) {
    return switch (direction) {
      case "left" -> "right";
      case "right" -> "left";
      case "up" -> "down";
      default -> "up";
    };
  }
}
