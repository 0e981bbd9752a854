package ying.core.synth;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A caption with one attribute of each object changed: its shape, its colour or its size, each to
 * the next in the world's list ("a small red heart" to "a small red circle", "a small orange heart",
 * "a large red heart"). Only the object phrases change, never a background's colour, so the changed
 * caption describes the same scene with other objects in it, and a model that reads the word must
 * fit the true clip worse under it.
 */
public final class ObjectWords {
  private static final Pattern OBJECT = Pattern.compile("\\b" + Phrases.alternation(ObjectSize.values(),
      ObjectSize::phrase) + " " + Phrases.alternation(Colour.values(), Colour::phrase) + " "
      + Phrases.alternation(Shape.values(), Shape::phrase) + "\\b");

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
    return Phrases.replaceGroup(OBJECT, caption, group, word -> next(values, phrase, word));
  }

  private static <T> String next(T[] values, Function<T, String> phrase, String word) {
    for (int i = 0; i < values.length; i++) {
      if (phrase.apply(values[i]).equals(word)) {
        return phrase.apply(values[(i + 1) % values.length]);
      }
    }
    throw new IllegalStateException("not a phrase of the world: " + word);
  }
}
