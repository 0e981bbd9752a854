package ying.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The caption formula [camera] + [scene] + [subjects and motion] + [style], and its exact inverse:
 * "The camera pans left. On a starry night background, a large red circle moves right and a small
 * blue star rotates. Flat style." Three objects read "a X, a Y and a Z".
 */
public final class CaptionGrammar {

  private static final Pattern CAPTION = Pattern.compile("the camera "
      + Phrases.alternation(CameraMove.values(), CameraMove::phrase)
      + "\\. on an? " + Phrases.alternation(Background.values(), Background::phrase)
      + " background, ([^.]+)\\. "
      + Phrases.alternation(RenderStyle.values(), RenderStyle::phrase) + " style\\.");

  private static final Pattern OBJECT = Pattern.compile("an? "
      + Phrases.alternation(ObjectSize.values(), ObjectSize::phrase) + " "
      + Phrases.alternation(Colour.values(), Colour::phrase) + " "
      + Phrases.alternation(Shape.values(), Shape::phrase) + " "
      + Phrases.alternation(Motion.values(), Motion::phrase));

  private static final Pattern SPACE_AROUND_PUNCTUATION = Pattern.compile(" ?([.,]) ?");

  private CaptionGrammar() {
  }

  public static String caption(Scene scene) {
    return caption(ParsedCaption.of(scene));
  }

  public static String caption(ParsedCaption c) {
    String background = c.background().phrase();
    return c.camera().sentence() + " On " + article(background) + " " + background + " background, "
        + objectList(c.objects()) + ". " + c.style().sentence();
  }

  /**
   * The attributes of a caption, or empty when the text leaves the grammar in any way other than
   * case and whitespace. Never throws.
   */
  public static Optional<ParsedCaption> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = CAPTION.matcher(normalise(text));
    if (!m.matches()) {
      return Optional.empty();
    }
    Optional<List<ObjectDescription>> objects = parseObjects(m.group(3));
    if (objects.isEmpty()) {
      return Optional.empty();
    }
    // The pattern admits only known phrases, so each lookup below is present.
    return Optional.of(new ParsedCaption(
        CameraMove.fromPhrase(m.group(1)).orElseThrow(),
        Background.fromPhrase(m.group(2)).orElseThrow(),
        RenderStyle.fromPhrase(m.group(4)).orElseThrow(),
        objects.get()));
  }

  /** Lower case, single spaces, no space before and one after each '.' and ','. */
  static String normalise(String text) {
    String words = Phrases.normalise(text);
    return SPACE_AROUND_PUNCTUATION.matcher(words).replaceAll("$1 ").trim();
  }

  private static String objectList(List<ObjectDescription> objects) {
    List<String> phrases = objects.stream().map(CaptionGrammar::objectPhrase).toList();
    if (phrases.size() == 1) {
      return phrases.get(0);
    }
    return String.join(", ", phrases.subList(0, phrases.size() - 1)) + " and " + phrases.get(phrases.size() - 1);
  }

  private static String objectPhrase(ObjectDescription o) {
    String size = o.size().phrase();
    return article(size) + " " + size + " " + o.colour().phrase() + " " + o.shape().phrase() + " "
        + o.motion().phrase();
  }

  private static String article(String nextWord) {
    return "aeiou".indexOf(nextWord.charAt(0)) >= 0 ? "an" : "a";
  }

  private static Optional<List<ObjectDescription>> parseObjects(String list) {
    String[] headAndLast = list.split(" and ", -1);
    List<String> phrases = new ArrayList<>();
    if (headAndLast.length == 1) {
      phrases.add(list);
    } else if (headAndLast.length == 2) {
      phrases.addAll(List.of(headAndLast[0].split(", ", -1)));
      phrases.add(headAndLast[1]);
    } else {
      return Optional.empty();
    }
    List<ObjectDescription> objects = new ArrayList<>();
    for (String phrase : phrases) {
      Matcher m = OBJECT.matcher(phrase);
      if (!m.matches()) {
        return Optional.empty();
      }
      objects.add(new ObjectDescription(
          ObjectSize.fromPhrase(m.group(1)).orElseThrow(),
          Colour.fromPhrase(m.group(2)).orElseThrow(),
          Shape.fromPhrase(m.group(3)).orElseThrow(),
          Motion.fromPhrase(m.group(4)).orElseThrow()));
    }
    return Optional.of(objects);
  }
}
