package ying.core.synth;

import java.util.Optional;

/**
 * Object outlines. HEART stands in for the usual DIAMOND, which a rotating SQUARE passes through
 * every quarter turn and so could not be named from one frame.
 */
public enum Shape {
  CIRCLE("circle"),
  SQUARE("square"),
  TRIANGLE("triangle"),
  STAR("star"),
  HEART("heart");

  private final String phrase;

  Shape(String phrase) {
    this.phrase = phrase;
  }

  public String phrase() {
    return phrase;
  }

  public static Optional<Shape> fromPhrase(String text) {
    return Phrases.find(values(), Shape::phrase, text);
  }
}
