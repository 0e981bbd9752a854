package ying.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SceneRendererTest {
  private static final int W = 192;
  private static final int H = 128;
  private static final double SECONDS = 4;

  private final SceneRenderer renderer = new SceneRenderer(W, H);

  @Test
  void bytesAreRedGreenBlueInRowMajorOrder() {
    byte[] rgb = renderer.render(scene(CameraMove.STATIC, Background.GREY_STRIPED, RenderStyle.FLAT,
        object(Shape.SQUARE, Colour.ORANGE, ObjectSize.LARGE, Motion.STAYS_STILL, 0.5, 0.5)), 0, SECONDS);
    int centre = 3 * (H / 2 * W + W / 2);
    assertEquals(0xFF, rgb[centre] & 0xFF);
    assertEquals(0x8C, rgb[centre + 1] & 0xFF);
    assertEquals(0x00, rgb[centre + 2] & 0xFF);
  }

  @Test
  void sameInputsGiveTheSameBytesFromAnyRenderer() {
    Scene scene = scene(CameraMove.ZOOM_IN, Background.SUNSET_GRADIENT, RenderStyle.GLOWING,
        object(Shape.STAR, Colour.PINK, ObjectSize.LARGE, Motion.ROTATES, 0.4, 0.5),
        object(Shape.HEART, Colour.CYAN, ObjectSize.SMALL, Motion.MOVES_UP, 0.7, 0.7));
    byte[] first = renderer.render(scene, 1.3, SECONDS);
    renderer.render(scene, 3.0, SECONDS);
    assertArrayEquals(first, renderer.render(scene, 1.3, SECONDS));
    assertArrayEquals(first, new SceneRenderer(W, H).render(scene, 1.3, SECONDS));
    assertFalse(java.util.Arrays.equals(first, renderer.render(scene, 1.4, SECONDS)));
  }

  @ParameterizedTest
  @EnumSource(Background.class)
  void staticCameraAndStillObjectGiveIdenticalFrames(Background background) {
    Scene scene = scene(CameraMove.STATIC, background, RenderStyle.OUTLINED,
        object(Shape.TRIANGLE, Colour.WHITE, ObjectSize.LARGE, Motion.STAYS_STILL, 0.5, 0.5));
    assertArrayEquals(renderer.render(scene, 0, SECONDS), renderer.render(scene, SECONDS, SECONDS));
  }

  @ParameterizedTest
  @EnumSource(Background.class)
  void movingCameraVisiblyChangesTheBackground(Background background) {
    for (CameraMove camera : List.of(CameraMove.PAN_LEFT, CameraMove.PAN_RIGHT, CameraMove.ZOOM_IN)) {
      Scene scene = scene(camera, background, RenderStyle.FLAT,
          object(Shape.CIRCLE, Colour.RED, ObjectSize.SMALL, Motion.STAYS_STILL, 0.5, 0.5));
      byte[] first = renderer.render(scene, 0, SECONDS);
      byte[] last = renderer.render(scene, SECONDS, SECONDS);
      boolean[] object = PixelStats.near(first, Colour.RED, 80);
      boolean[] objectLater = PixelStats.near(last, Colour.RED, 80);
      for (int p = 0; p < object.length; p++) {
        object[p] |= objectLater[p];
      }
      double diff = PixelStats.meanAbsDiff(first, last, PixelStats.dilate(object, W, 3));
      assertTrue(diff > 4, camera + " over " + background + " changes the background by only " + diff);
    }
  }

  @ParameterizedTest
  @EnumSource(Background.class)
  void panLeftSlidesTheWorldRightOnScreenAndPanRightSlidesItLeft(Background background) {
    // A quarter second of a 4 s pan: 0.35 * 192 / 16 = 4.2 px, well under every texture's period.
    assertEquals(4, worldShift(CameraMove.PAN_LEFT, background), 1);
    assertEquals(-4, worldShift(CameraMove.PAN_RIGHT, background), 1);
    assertEquals(0, worldShift(CameraMove.STATIC, background));
  }

  @Test
  void zoomInEnlargesAStillObjectByTheZoomSquared() {
    Scene scene = scene(CameraMove.ZOOM_IN, Background.BLUE_GRID, RenderStyle.FLAT,
        object(Shape.SQUARE, Colour.YELLOW, ObjectSize.SMALL, Motion.STAYS_STILL, 0.5, 0.5));
    double ratio = PixelStats.count(PixelStats.near(renderer.render(scene, SECONDS, SECONDS), Colour.YELLOW, 60))
        / (double) PixelStats.count(PixelStats.near(renderer.render(scene, 0, SECONDS), Colour.YELLOW, 60));
    assertEquals(1.5 * 1.5, ratio, 0.3);
  }

  @ParameterizedTest
  @EnumSource(value = Motion.class, names = {"MOVES_LEFT", "MOVES_RIGHT", "MOVES_UP", "MOVES_DOWN"})
  void movingObjectTravelsItsWayOnAStaticCamera(Motion motion) {
    Scene scene = scene(CameraMove.STATIC, Background.STARRY_NIGHT, RenderStyle.FLAT,
        object(Shape.HEART, Colour.GREEN, ObjectSize.LARGE, motion, 0.5 - motion.travelX() / 2,
            0.5 - motion.travelY() / 2));
    double[] start = PixelStats.centroid(PixelStats.near(renderer.render(scene, 0, SECONDS), Colour.GREEN, 60), W);
    double[] end = PixelStats.centroid(PixelStats.near(renderer.render(scene, SECONDS, SECONDS), Colour.GREEN, 60), W);
    assertEquals(motion.travelX() * W, end[0] - start[0], 1.5, "x");
    assertEquals(motion.travelY() * H, end[1] - start[1], 1.5, "y");
    assertTrue(Math.hypot(end[0] - start[0], end[1] - start[1]) > 0.3 * H);
  }

  @Test
  void growingObjectEndsWithFourTimesTheAreaAndShrinkingWithAQuarter() {
    for (Motion motion : List.of(Motion.GROWS, Motion.SHRINKS)) {
      Scene scene = scene(CameraMove.STATIC, Background.GREEN_CHECKERBOARD, RenderStyle.FLAT,
          object(Shape.STAR, Colour.PINK, ObjectSize.LARGE, motion, 0.5, 0.5));
      double ratio = PixelStats.count(PixelStats.near(renderer.render(scene, SECONDS, SECONDS), Colour.PINK, 60))
          / (double) PixelStats.count(PixelStats.near(renderer.render(scene, 0, SECONDS), Colour.PINK, 60));
      assertEquals(motion == Motion.GROWS ? 4 : 0.25, ratio, motion == Motion.GROWS ? 0.5 : 0.04, motion.name());
    }
  }

  @Test
  void rotatingSquareTurnsInPlace() {
    Scene scene = scene(CameraMove.STATIC, Background.SANDY_DOTTED, RenderStyle.FLAT,
        object(Shape.SQUARE, Colour.BLUE, ObjectSize.LARGE, Motion.ROTATES, 0.5, 0.5));
    boolean[] upright = PixelStats.near(renderer.render(scene, 0, SECONDS), Colour.BLUE, 60);
    // Half a second at a quarter turn per second: 45 degrees, a diamond.
    boolean[] turned = PixelStats.near(renderer.render(scene, 0.5, SECONDS), Colour.BLUE, 60);
    assertArrayEquals(PixelStats.centroid(upright, W), PixelStats.centroid(turned, W), 0.5);
    assertEquals(PixelStats.count(upright), PixelStats.count(turned), 0.05 * PixelStats.count(upright));
    assertTrue(width(turned) > 1.3 * width(upright), width(turned) + " vs " + width(upright));
  }

  @Test
  void stylesFillOutlineOrHaloTheShape() {
    int centre = H / 2 * W + W / 2;
    // Just outside the body of a large circle (radius 0.22 H), inside the widest halo (1.5x).
    int beside = H / 2 * W + W / 2 + (int) (0.3 * H);
    byte[] flat = renderStyle(RenderStyle.FLAT);
    byte[] outlined = renderStyle(RenderStyle.OUTLINED);
    byte[] glowing = renderStyle(RenderStyle.GLOWING);
    assertTrue(PixelStats.colourDistance(flat, centre, Colour.CYAN.rgb()) < 5);
    assertTrue(PixelStats.colourDistance(outlined, centre, Colour.CYAN.rgb()) > 150);
    assertTrue(PixelStats.count(PixelStats.near(outlined, Colour.CYAN, 30)) > 0.2 * PixelStats.count(PixelStats.near(flat,
        Colour.CYAN, 30)));
    assertTrue(PixelStats.colourDistance(glowing, beside, Colour.CYAN.rgb())
        < PixelStats.colourDistance(flat, beside, Colour.CYAN.rgb()) - 30);
  }

  @Test
  void everyColourStandsOutFromEveryBackgroundPixel() {
    BackgroundPainter painter = new BackgroundPainter(W, H);
    int[] pixels = new int[W * H];
    for (Background background : Background.values()) {
      for (CameraView view : List.of(new CameraView(0, 1), new CameraView(0.2, 1.5))) {
        painter.paint(background, view, pixels);
        for (Colour colour : Colour.values()) {
          double nearest = Double.MAX_VALUE;
          for (int p : pixels) {
            nearest = Math.min(nearest, Math.sqrt(square(((p >> 16) & 0xFF) - colour.red())
                + square(((p >> 8) & 0xFF) - colour.green()) + square((p & 0xFF) - colour.blue())));
          }
          assertTrue(nearest > 85, colour + " on " + background + " comes within " + nearest);
        }
      }
    }
  }

  @Test
  void renderRejectsAWronglySizedBuffer() {
    Scene scene = scene(CameraMove.STATIC, Background.BLUE_GRID, RenderStyle.FLAT,
        object(Shape.SQUARE, Colour.RED, ObjectSize.SMALL, Motion.STAYS_STILL, 0.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> renderer.render(scene, 0, 1, new byte[W * H]));
  }

  @Test
  void anyFrameSizeRendersTheSameComposition() {
    Scene scene = scene(CameraMove.STATIC, Background.STARRY_NIGHT, RenderStyle.FLAT,
        object(Shape.CIRCLE, Colour.ORANGE, ObjectSize.LARGE, Motion.STAYS_STILL, 0.25, 0.5));
    for (int[] size : new int[][] {{96, 64}, {640, 360}, {64, 64}}) {
      byte[] rgb = new SceneRenderer(size[0], size[1]).render(scene, 0, 1);
      boolean[] orange = PixelStats.near(rgb, Colour.ORANGE, 60);
      double[] c = PixelStats.centroid(orange, size[0]);
      assertEquals(0.25 * size[0], c[0], 1.0);
      assertEquals(0.5 * size[1], c[1], 1.0);
      assertEquals(Math.PI * square(0.22 * size[1]), PixelStats.count(orange), 0.1 * PixelStats.count(orange));
    }
  }

  private int worldShift(CameraMove camera, Background background) {
    Scene scene = scene(camera, background, RenderStyle.FLAT,
        object(Shape.SQUARE, Colour.WHITE, ObjectSize.SMALL, Motion.STAYS_STILL, 0.2, 0.2));
    return PixelStats.bestHorizontalShift(renderer.render(scene, 0, SECONDS), renderer.render(scene, 0.25, SECONDS),
        W, 6);
  }

  private byte[] renderStyle(RenderStyle style) {
    return renderer.render(scene(CameraMove.STATIC, Background.GREY_STRIPED, style,
        object(Shape.CIRCLE, Colour.CYAN, ObjectSize.LARGE, Motion.STAYS_STILL, 0.5, 0.5)), 0, SECONDS);
  }

  private static int width(boolean[] mask) {
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int p = 0; p < mask.length; p++) {
      if (mask[p]) {
        min = Math.min(min, p % W);
        max = Math.max(max, p % W);
      }
    }
    return max - min + 1;
  }

  private static SceneObject object(Shape shape, Colour colour, ObjectSize size, Motion motion, double x, double y) {
    return new SceneObject(shape, colour, size, motion, x, y, 0);
  }

  private static Scene scene(CameraMove camera, Background background, RenderStyle style, SceneObject... objects) {
    return new Scene(camera, background, style, List.of(objects));
  }

  private static double square(double x) {
    return x * x;
  }
}
