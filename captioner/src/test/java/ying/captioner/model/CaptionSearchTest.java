package ying.captioner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Views of a clip decode as one caption, each word from the mean of the views' distributions:
 * through the brightness fixture (src/test/python/brightness_captioner.py, certain of "bright" or
 * "dark" from each view's pixels), two bright views outvote one dark one, greedily and in a beam,
 * and each clip reads only its own views.
 */
class CaptionSearchTest {
  static TorchScriptCaptioner fixture;

  @BeforeAll
  static void load() throws Exception {
    fixture = TorchScriptCaptioner.load(Path.of(CaptionSearchTest.class.getResource("/brightness-captioner").toURI()));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @ParameterizedTest(name = "beam {0}")
  @ValueSource(ints = {1, 3})
  void viewsOutvoteEachOtherWithinTheirClipOnly(int beam) {
    byte[] frames = views(20, 235, 20, 235, 20, 20);
    List<Caption> got = fixture.caption(frames, new int[] {1, 3, 2}, beam);
    assertEquals(List.of("A dark clip.", "A bright clip.", "A dark clip."), got.stream().map(Caption::text).toList());
    // Two certain views of three: the adjective has probability 2/3, the other four tokens (with the end) certain.
    assertEquals(Math.log(2 / 3.0) / 5, got.get(1).confidence(), 1e-3);
    assertEquals(0, got.get(2).confidence(), 1e-3, "views that agree");
    assertEquals(List.of("A dark clip.", "A bright clip."),
        fixture.caption(views(20, 235), 2, beam).stream().map(Caption::text).toList(), "one view each");
  }

  /** One frame set per level, every pixel at that level. */
  private static byte[] views(int... levels) {
    int bytes = fixture.frames() * fixture.height() * fixture.width() * 3;
    byte[] out = new byte[levels.length * bytes];
    for (int i = 0; i < levels.length; i++) {
      Arrays.fill(out, i * bytes, (i + 1) * bytes, (byte) levels[i]);
    }
    return out;
  }
}
