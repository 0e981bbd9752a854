package ying.core.synth;

import java.util.Optional;

/**
 * Scene backgrounds: muted, each with its own palette (so a hard cut shows in a colour histogram)
 * and a texture fixed to world coordinates (so pans and zooms show). Painted by BackgroundPainter.
 */
public enum Background {
  STARRY_NIGHT("starry night"),
  BLUE_GRID("blue grid"),
  SUNSET_GRADIENT("sunset gradient"),
  GREEN_CHECKERBOARD("green checkerboard"),
  GREY_STRIPED("grey striped"),
  SANDY_DOTTED("sandy dotted");

  private final String phrase;

  Background(String phrase) {
    this.phrase = phrase;
  }

  public String phrase() {
    return phrase;
  }

  public static Optional<Background> fromPhrase(String text) {
    return Phrases.find(values(), Background::phrase, text);
  }
}
