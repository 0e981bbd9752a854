package ying.core.synth;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The one way caption words are matched back to attribute values, shared by every attribute enum. */
final class Phrases {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private Phrases() {
  }

  /** Lower case with single spaces: captions are graded on words, not on typing. */
  static String normalise(String text) {
    return WHITESPACE.matcher(text).replaceAll(" ").trim().toLowerCase(Locale.ROOT);
  }

  static <E> Optional<E> find(E[] values, Function<E, String> phrase, String text) {
    if (text == null) {
      return Optional.empty();
    }
    String key = normalise(text);
    return Stream.of(values).filter(v -> phrase.apply(v).equals(key)).findFirst();
  }

  /** A regex group matching exactly the phrases of {@code values}. */
  static <E> String alternation(E[] values, Function<E, String> phrase) {
    return Stream.of(values).map(phrase).map(Pattern::quote).collect(Collectors.joining("|", "(", ")"));
  }
}
