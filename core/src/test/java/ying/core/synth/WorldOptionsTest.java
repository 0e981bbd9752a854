package ying.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WorldOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertEquals(new WorldOptions(192, 128, 16, 1, 4, 2.0, 20.0, 1, 3), WorldOptions.defaults());
    assertEquals(32, WorldOptions.defaults().minSceneFrames());
    assertEquals(320, WorldOptions.defaults().maxSceneFrames());
  }

  @Test
  void withersChangeOnlyTheirOwnFields() {
    WorldOptions o = WorldOptions.defaults().withFrameSize(96, 64).withFps(8).withScenes(2, 2)
        .withSceneSeconds(1.5, 3).withObjects(2, 3);
    assertEquals(new WorldOptions(96, 64, 8, 2, 2, 1.5, 3, 2, 3), o);
  }

  @Test
  void sceneFramesRoundInwardsToWholeFrames() {
    WorldOptions o = WorldOptions.defaults().withFps(10).withSceneSeconds(2.15, 2.1 * 2);
    assertEquals(22, o.minSceneFrames());
    assertEquals(42, o.maxSceneFrames());
  }

  @Test
  void impossibleOptionsAreRefused() {
    WorldOptions d = WorldOptions.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withScenes(3, 2));
    assertThrows(IllegalArgumentException.class, () -> d.withScenes(0, 2));
    assertThrows(IllegalArgumentException.class, () -> d.withObjects(1, Scene.MAX_OBJECTS + 1));
    assertThrows(IllegalArgumentException.class, () -> d.withSceneSeconds(3, 2));
    assertThrows(IllegalArgumentException.class, () -> d.withFps(4).withSceneSeconds(2.1, 2.2));
    assertThrows(IllegalArgumentException.class, () -> d.withFps(0));
  }
}
