package ying.core.synth;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
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

  /** {@code text} with group {@code group} of each match of {@code p} rewritten, the rest of the match kept. */
  static String replaceGroup(Pattern p, String text, int group, UnaryOperator<String> rewrite) {
    Matcher m = p.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String match = m.group();
      int from = m.start(group) - m.start();
      int to = m.end(group) - m.start();
      m.appendReplacement(out, Matcher.quoteReplacement(match.substring(0, from) + rewrite.apply(m.group(group))
          + match.substring(to)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A regex group matching exactly the phrases of {@code values}. */
  static <E> String alternation(E[] values, Function<E, String> phrase) {
    return Stream.of(values).map(phrase).map(Pattern::quote).collect(Collectors.joining("|", "(", ")"));
  }
}
