package ying.core.synth;

import java.util.Optional;

/** How objects are drawn: filled, thick outline only, or filled with a soft halo. */
public enum RenderStyle {
  FLAT("flat"),
  OUTLINED("outlined"),
  GLOWING("glowing");

  private final String phrase;

  RenderStyle(String phrase) {
    this.phrase = phrase;
  }

  /** The style word, as in "flat". */
  public String phrase() {
    return phrase;
  }

  /** The caption sentence, as in "Flat style.". */
  public String sentence() {
    return Character.toUpperCase(phrase.charAt(0)) + phrase.substring(1) + " style.";
  }

  public static Optional<RenderStyle> fromPhrase(String text) {
    return Phrases.find(values(), RenderStyle::phrase, text);
  }
}
