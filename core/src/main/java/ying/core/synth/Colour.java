package ying.core.synth;

import java.util.Optional;

/**
 * Object colours: saturated and bright, so that after lossy compression they stay far (in RGB)
 * from each other and from every muted background colour.
 */
public enum Colour {
  RED("red", 0xE62828),
  ORANGE("orange", 0xFF8C00),
  YELLOW("yellow", 0xFFE600),
  GREEN("green", 0x28C83C),
  CYAN("cyan", 0x00DCE6),
  BLUE("blue", 0x285AFF),
  PURPLE("purple", 0xA03CE6),
  PINK("pink", 0xFF64BE),
  WHITE("white", 0xFFFFFF);

  private final String phrase;
  private final int rgb;

  Colour(String phrase, int rgb) {
    this.phrase = phrase;
    this.rgb = rgb;
  }

  public String phrase() {
    return phrase;
  }

  /** 0xRRGGBB. */
  public int rgb() {
    return rgb;
  }

  public int red() {
    return (rgb >> 16) & 0xFF;
  }

  public int green() {
    return (rgb >> 8) & 0xFF;
  }

  public int blue() {
    return rgb & 0xFF;
  }

  public static Optional<Colour> fromPhrase(String text) {
    return Phrases.find(values(), Colour::phrase, text);
  }
}
