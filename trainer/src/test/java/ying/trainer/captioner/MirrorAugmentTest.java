package ying.trainer.captioner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import ying.core.synth.Background;
import ying.core.synth.CameraMove;
import ying.core.synth.CaptionGrammar;
import ying.core.synth.Colour;
import ying.core.synth.Motion;
import ying.core.synth.ObjectDescription;
import ying.core.synth.ObjectSize;
import ying.core.synth.ParsedCaption;
import ying.core.synth.RenderStyle;
import ying.core.synth.Scene;
import ying.core.synth.SceneObject;
import ying.core.synth.SceneRenderer;
import ying.core.synth.Shape;

class MirrorAugmentTest {
  private static final int W = 96;
  private static final int H = 64;

  /** The mirrored pixels show what the mirrored caption says: sides of travel and the left-to-right order. */
  @Test
  void mirroredFramesAgreeWithTheMirroredCaption() {
    Scene scene = new Scene(CameraMove.STATIC, Background.STARRY_NIGHT, RenderStyle.FLAT, List.of(
        new SceneObject(Shape.CIRCLE, Colour.RED, ObjectSize.LARGE, Motion.MOVES_RIGHT, 0.3, 0.5, 0),
        new SceneObject(Shape.SQUARE, Colour.YELLOW, ObjectSize.LARGE, Motion.STAYS_STILL, 0.75, 0.5, 0)));
    SceneRenderer renderer = new SceneRenderer(W, H);
    byte[] clip = new byte[2 * W * H * 3];
    System.arraycopy(renderer.render(scene, 0, 4), 0, clip, 0, W * H * 3);
    System.arraycopy(renderer.render(scene, 4, 4), 0, clip, W * H * 3, W * H * 3);

    MirrorAugment.frames(clip, 0, 2, H, W);
    ParsedCaption mirrored = CaptionGrammar.parse(MirrorAugment.caption(CaptionGrammar.caption(scene)).orElseThrow())
        .orElseThrow();

    List<ObjectDescription> objects = mirrored.objects();
    assertEquals(List.of(Colour.YELLOW, Colour.RED), objects.stream().map(ObjectDescription::colour).toList());
    assertTrue(centreX(clip, 0, Colour.YELLOW) < centreX(clip, 0, Colour.RED), "named left to right");
    assertEquals(Motion.MOVES_LEFT, objects.get(1).motion());
    assertTrue(centreX(clip, 1, Colour.RED) < centreX(clip, 0, Colour.RED) - 10, "the red circle travels left");
  }

  @Test
  void mirroringTwiceRestoresTheClipAndCaption() {
    byte[] clip = new byte[3 * 5 * 7 * 3];
    for (int i = 0; i < clip.length; i++) {
      clip[i] = (byte) (i * 31);
    }
    byte[] original = clip.clone();
    MirrorAugment.frames(clip, 0, 3, 5, 7);
    assertEquals(original[0], clip[6 * 3]);
    assertEquals(original[2], clip[6 * 3 + 2]);
    MirrorAugment.frames(clip, 0, 3, 5, 7);
    assertArrayEquals(original, clip);

    String caption = "The camera pans left. On a blue grid background, a small green heart moves up, a large red "
        + "star moves right and a large white square grows. Outlined style.";
    String once = MirrorAugment.caption(caption).orElseThrow();
    assertEquals("The camera pans right. On a blue grid background, a large white square grows, a large red star "
        + "moves left and a small green heart moves up. Outlined style.", once);
    assertEquals(Optional.of(caption), MirrorAugment.caption(once));
  }

  @Test
  void aCaptionOutsideTheGrammarIsNeverMirrored() {
    assertEquals(Optional.empty(), MirrorAugment.caption("a dog runs left across a beach"));
  }

  /** Mean column of the pixels within a small distance of the colour, in one frame of the clip. */
  private static double centreX(byte[] clip, int frame, Colour colour) {
    int rgb = colour.rgb();
    double sum = 0;
    int n = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int at = ((frame * H + y) * W + x) * 3;
        int d = Math.abs((clip[at] & 0xFF) - (rgb >> 16 & 0xFF)) + Math.abs((clip[at + 1] & 0xFF) - (rgb >> 8 & 0xFF))
            + Math.abs((clip[at + 2] & 0xFF) - (rgb & 0xFF));
        if (d < 60) {
          sum += x;
          n++;
        }
      }
    }
    assertTrue(n > 20, colour + " is on screen in frame " + frame);
    return sum / n;
  }
}
