package ying.core.synth;

import java.util.Arrays;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A caption with one attribute of each object changed: its shape, its colour or its size, each to
 * the next in the world's list ("a small red heart" to "a small red circle", "a small orange heart",
 * "a large red heart"). Only the object phrases change, never a background's colour, so the changed
 * caption describes the same scene with other objects in it, and a model that reads the word must
 * fit the true clip worse under it.
 */
public final class ObjectWords {
  private static final Pattern OBJECT = Pattern.compile("\\b(" + alternatives(ObjectSize.values(), ObjectSize::phrase)
      + ") (" + alternatives(Colour.values(), Colour::phrase) + ") (" + alternatives(Shape.values(), Shape::phrase)
      + ")\\b");

  private ObjectWords() {}

  /** Each object's shape turned to the next shape. */
  public static String turnShapes(String caption) {
    return replace(caption, 3, Shape.values(), Shape::phrase);
  }

  /** Each object's colour turned to the next colour. */
  public static String turnColours(String caption) {
    return replace(caption, 2, Colour.values(), Colour::phrase);
  }

  /** Each object's size turned to the other size. */
  public static String turnSizes(String caption) {
    return replace(caption, 1, ObjectSize.values(), ObjectSize::phrase);
  }

  private static <T> String replace(String caption, int group, T[] values, Function<T, String> phrase) {
    Matcher m = OBJECT.matcher(caption);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String[] words = {m.group(1), m.group(2), m.group(3)};
      words[group - 1] = next(values, phrase, words[group - 1]);
      m.appendReplacement(out, String.join(" ", words));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static <T> String next(T[] values, Function<T, String> phrase, String word) {
    for (int i = 0; i < values.length; i++) {
      if (phrase.apply(values[i]).equals(word)) {
        return phrase.apply(values[(i + 1) % values.length]);
      }
    }
    throw new IllegalStateException("not a phrase of the world: " + word);
  }

  private static <T> String alternatives(T[] values, Function<T, String> phrase) {
    // Longest first, so no phrase stops a longer one that begins with it from matching.
    return Arrays.stream(values).map(phrase).sorted((a, b) -> b.length() - a.length()).map(Pattern::quote)
        .collect(Collectors.joining("|"));
  }
}
