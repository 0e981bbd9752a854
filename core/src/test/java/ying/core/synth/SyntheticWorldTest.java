package ying.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticWorldTest {
  private static final WorldOptions OPTIONS = WorldOptions.defaults();

  @Test
  void sameSeedAndIndexGiveTheSamePlanAndBytes() {
    VideoPlan a = new SyntheticWorld(42, OPTIONS).video(7);
    SyntheticWorld other = new SyntheticWorld(42, OPTIONS);
    other.video(3);
    VideoPlan b = other.video(7);
    assertEquals(a, b);
    byte[] fromA = new byte[OPTIONS.width() * OPTIONS.height() * 3];
    byte[] fromB = new byte[fromA.length];
    for (int frame = 0; frame < a.totalFrames(); frame += 7) {
      a.renderFrame(frame, fromA);
      b.renderFrame(frame, fromB);
      assertArrayEquals(fromA, fromB, "frame " + frame);
    }
  }

  @Test
  void differentSeedsAndIndicesGiveDifferentVideos() {
    Set<VideoPlan> plans = new java.util.HashSet<>();
    for (long seed = 0; seed < 10; seed++) {
      for (int index = 0; index < 10; index++) {
        plans.add(new SyntheticWorld(seed, OPTIONS).video(index));
      }
    }
    assertEquals(100, plans.size());
    byte[] a = new byte[OPTIONS.width() * OPTIONS.height() * 3];
    byte[] b = new byte[a.length];
    new SyntheticWorld(1, OPTIONS).video(0).renderFrame(0, a);
    new SyntheticWorld(2, OPTIONS).video(0).renderFrame(0, b);
    assertNotEquals(0, PixelStats.meanAbsDiff(a, b, null));
  }

  @Test
  void scenesTileEachVideoWithinTheOptionBounds() {
    SyntheticWorld world = new SyntheticWorld(3, OPTIONS);
    Set<Integer> sceneCounts = new java.util.HashSet<>();
    for (int index = 0; index < 300; index++) {
      VideoPlan plan = world.video(index);
      sceneCounts.add(plan.scenes().size());
      assertTrue(plan.scenes().size() >= 1 && plan.scenes().size() <= 4);
      assertEquals(OPTIONS.fps(), plan.fps());
      assertEquals(OPTIONS.width(), plan.width());
      int next = 0;
      for (ScenePlan s : plan.scenes()) {
        assertEquals(next, s.startFrame());
        assertTrue(s.durationSeconds() >= 2.0 && s.durationSeconds() <= 20.0, s.toString());
        assertEquals(s.startFrame() / 16.0, s.startSeconds());
        assertEquals(s.endFrame() / 16.0, s.endSeconds());
        int objects = s.scene().objects().size();
        assertTrue(objects >= 1 && objects <= 3);
        next = s.endFrame();
      }
      assertEquals(next, plan.totalFrames());
      assertSame(plan.scenes().get(plan.scenes().size() - 1), plan.sceneAt(next - 1));
    }
    assertEquals(Set.of(1, 2, 3, 4), sceneCounts);
  }

  @Test
  void consecutiveScenesChangeBackgroundAndCameraOrStyle() {
    SyntheticWorld world = new SyntheticWorld(4, OPTIONS);
    int cuts = 0;
    for (int index = 0; index < 300; index++) {
      List<ScenePlan> scenes = world.video(index).scenes();
      for (int i = 1; i < scenes.size(); i++) {
        Scene before = scenes.get(i - 1).scene();
        Scene after = scenes.get(i).scene();
        assertNotEquals(before.background(), after.background());
        assertTrue(before.camera() != after.camera() || before.style() != after.style());
        cuts++;
      }
    }
    assertTrue(cuts > 300, "cuts " + cuts);
  }

  @Test
  void fiveHundredScenesCoverEveryAttributeValue() {
    List<Scene> scenes = scenes(new SyntheticWorld(5, OPTIONS), 500);
    Set<Shape> shapes = EnumSet.noneOf(Shape.class);
    Set<Colour> colours = EnumSet.noneOf(Colour.class);
    Set<ObjectSize> sizes = EnumSet.noneOf(ObjectSize.class);
    Set<Motion> motions = EnumSet.noneOf(Motion.class);
    Set<Background> backgrounds = EnumSet.noneOf(Background.class);
    Set<CameraMove> cameras = EnumSet.noneOf(CameraMove.class);
    Set<RenderStyle> styles = EnumSet.noneOf(RenderStyle.class);
    Set<Integer> objectCounts = new java.util.HashSet<>();
    for (Scene scene : scenes) {
      backgrounds.add(scene.background());
      cameras.add(scene.camera());
      styles.add(scene.style());
      objectCounts.add(scene.objects().size());
      for (SceneObject o : scene.objects()) {
        shapes.add(o.shape());
        colours.add(o.colour());
        sizes.add(o.size());
        motions.add(o.motion());
      }
    }
    assertEquals(EnumSet.allOf(Shape.class), shapes);
    assertEquals(EnumSet.allOf(Colour.class), colours);
    assertEquals(EnumSet.allOf(ObjectSize.class), sizes);
    assertEquals(EnumSet.allOf(Motion.class), motions);
    assertEquals(EnumSet.allOf(Background.class), backgrounds);
    assertEquals(EnumSet.allOf(CameraMove.class), cameras);
    assertEquals(EnumSet.allOf(RenderStyle.class), styles);
    assertEquals(Set.of(1, 2, 3), objectCounts);
  }

  @Test
  void objectsAreListedLeftToRightAsTheSceneOpens() {
    List<Scene> scenes = scenes(new SyntheticWorld(7, OPTIONS), 300);
    int multi = 0;
    for (Scene scene : scenes) {
      List<SceneObject> objects = scene.objects();
      for (int i = 1; i < objects.size(); i++) {
        assertTrue(objects.get(i - 1).startX() <= objects.get(i).startX(), scene.toString());
      }
      multi += objects.size() > 1 ? 1 : 0;
    }
    assertTrue(multi > scenes.size() / 3, multi + " scenes with several objects");
  }

  @Test
  void objectsStayInsideTheFrameAndApartFromEachOtherInAlmostEveryScene() {
    double aspect = OPTIONS.aspect();
    List<Scene> scenes = scenes(new SyntheticWorld(6, OPTIONS), 2000);
    int cut = 0;
    int crowded = 0;
    for (Scene scene : scenes) {
      double worstCut = 0;
      double worstOverlap = 0;
      for (int k = 0; k <= 16; k++) {
        double u = k / 16.0;
        CameraView view = CameraView.of(scene.camera(), u, 1);
        List<Placement.Disc> discs = new ArrayList<>();
        for (SceneObject o : scene.objects()) {
          Placement.Disc d = Placement.Disc.of(o, view, u, aspect);
          worstCut = Math.max(worstCut, d.outOfFrame(aspect));
          for (Placement.Disc other : discs) {
            worstOverlap = Math.max(worstOverlap, d.overlap(other));
          }
          discs.add(d);
        }
      }
      // Even the tightest combination (large, moving against a pan) keeps most of the object in view.
      assertTrue(worstCut < 0.6, worstCut + " radii cut off in " + scene);
      cut += worstCut > 0.25 ? 1 : 0;
      crowded += worstOverlap > 0.5 ? 1 : 0;
    }
    assertTrue(cut < scenes.size() / 100, cut + " scenes cut by the frame edge");
    // Three large objects under a 1.5x zoom cannot all keep apart; they may pass over each other.
    assertTrue(crowded < scenes.size() / 40, crowded + " scenes with objects on top of each other");
  }

  @Test
  void hardCutsChangeTheColourHistogramFarMoreThanAnyFrameStepWithinAScene() {
    SyntheticWorld world = new SyntheticWorld(8, OPTIONS.withScenes(2, 4).withSceneSeconds(2, 4));
    byte[] previous = new byte[OPTIONS.width() * OPTIONS.height() * 3];
    byte[] current = new byte[previous.length];
    for (int index = 0; index < 12; index++) {
      VideoPlan plan = world.video(index);
      double largestStep = 0;
      double smallestCut = Double.MAX_VALUE;
      plan.renderFrame(0, previous);
      for (int frame = 1; frame < plan.totalFrames(); frame++) {
        plan.renderFrame(frame, current);
        double d = PixelStats.histogramDistance(PixelStats.histogram(previous), PixelStats.histogram(current));
        if (plan.sceneAt(frame).startFrame() == frame) {
          smallestCut = Math.min(smallestCut, d);
        } else {
          largestStep = Math.max(largestStep, d);
        }
        byte[] swap = previous;
        previous = current;
        current = swap;
      }
      assertTrue(smallestCut > 0.3 && smallestCut > 5 * largestStep,
          "video " + index + ": cut " + smallestCut + " vs step " + largestStep);
    }
  }

  @Test
  void optionsShapeTheVideos() {
    WorldOptions small = OPTIONS.withFrameSize(96, 64).withFps(8).withScenes(2, 2).withSceneSeconds(3, 3)
        .withObjects(2, 2);
    VideoPlan plan = new SyntheticWorld(9, small).video(0);
    assertEquals(96, plan.width());
    assertEquals(64, plan.height());
    assertEquals(48, plan.totalFrames());
    assertTrue(plan.scenes().stream().allMatch(s -> s.frameCount() == 24 && s.scene().objects().size() == 2));
    byte[] rgb = new byte[96 * 64 * 3];
    plan.renderFrame(47, rgb);
    assertTrue(PixelStats.meanAbsDiff(rgb, new byte[rgb.length], null) > 10);
  }

  private static List<Scene> scenes(SyntheticWorld world, int count) {
    List<Scene> scenes = new ArrayList<>();
    for (int index = 0; scenes.size() < count; index++) {
      world.video(index).scenes().forEach(s -> scenes.add(s.scene()));
    }
    return scenes.subList(0, count);
  }
}
