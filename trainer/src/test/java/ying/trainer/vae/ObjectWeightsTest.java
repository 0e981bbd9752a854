package ying.trainer.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import ying.inference.vae.VideoTensors;

/** The VAE loss's per-pixel weights line up with the video tensor they weigh. */
class ObjectWeightsTest {
  @Test
  void eachObjectPixelWeighsOnePlusWAtItsPlaceInTheVideo() {
    // 2 clips of 5 frames of 8x16: one red pixel in clip 1, frame 3, row 2, column 11.
    int t = 5;
    int h = 8;
    int w = 16;
    byte[] frames = new byte[2 * t * h * w * 3];
    java.util.Arrays.fill(frames, (byte) 0x40); // a muted grey background
    int p = 3 * (((t + 3) * h + 2) * w + 11);
    frames[p] = (byte) 0xE6;
    frames[p + 1] = 0x28;
    frames[p + 2] = 0x28;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray video = VideoTensors.fromBytes(m, frames, t, h, w);
      NDArray weights = VaeTrainer.objectWeights(m, frames, video.getShape(), 4f, 0);
      assertEquals(new Shape(2, 1, t, h, w), weights.getShape());
      assertEquals(2 * t * h * w + 4f, weights.sum().getFloat(), 1e-3f);
      assertEquals(5f, weights.getFloat(1, 0, 3, 2, 11));
      assertEquals(1f, weights.getFloat(0, 0, 3, 2, 11));
      // The same place in the video tensor holds the red pixel: weights broadcast over its three channels.
      assertArrayEquals(new float[] {0xE6 / 127.5f - 1, 0x28 / 127.5f - 1, 0x28 / 127.5f - 1},
          video.get("1, :, 3, 2, 11").toFloatArray(), 1e-5f);
      // A margin of 1: the pixel and its 8 neighbours, in its own frame and clip only.
      NDArray wide = VaeTrainer.objectWeights(m, frames, video.getShape(), 4f, 1);
      assertEquals(2 * t * h * w + 9 * 4f, wide.sum().getFloat(), 1e-3f);
      assertEquals(5f, wide.getFloat(1, 0, 3, 1, 10));
      assertEquals(1f, wide.getFloat(1, 0, 2, 2, 11));
      assertNull(VaeTrainer.objectWeights(m, frames, video.getShape(), 0f, 0), "no weight: the plain L1");
    }
  }
}
