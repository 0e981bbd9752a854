package ying.core.synth;

import java.util.Optional;

/** Object sizes, twice apart so that "small" and "large" never meet even while growing or shrinking. */
public enum ObjectSize {
  SMALL("small", 0.10),
  LARGE("large", 0.22);

  private final String phrase;
  private final double radius;

  ObjectSize(String phrase, double radius) {
    this.phrase = phrase;
    this.radius = radius;
  }

  public String phrase() {
    return phrase;
  }

  /** Radius in frame heights at scale 1. */
  public double radius() {
    return radius;
  }

  public static Optional<ObjectSize> fromPhrase(String text) {
    return Phrases.find(values(), ObjectSize::phrase, text);
  }
}
