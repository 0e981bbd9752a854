package ying.inference.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeModelTest {
  @TempDir
  Path dir;

  @Test
  void saveThenLoadDecodesIdenticallyFromAFloat16File() throws Exception {
    VaeConfig config = TinyVae.config();
    try (VaeModel saved = VaeModel.create(config, 3)) {
      saved.save(dir);
      long values = 0;
      int parameters = 0;
      for (Parameter p : saved.network().getParameters().values()) {
        assertEquals(DataType.FLOAT32, p.getArray().getDataType(), "weights stay float32 in memory");
        values += p.getArray().size();
        parameters++;
      }
      long bytes = Files.size(dir.resolve(VaeModel.PARAMS_FILE));
      // Names and headers add about 130 bytes per parameter array; float32 would be 4 bytes per value.
      double perValue = bytes / (double) values;
      assertTrue(perValue >= 2 && perValue < 2.15, bytes + " bytes for " + values + " values in " + parameters
          + " parameters");
      try (VaeModel loaded = VaeModel.load(dir, config);
          NDManager m = saved.djlModel().getNDManager().newSubManager()) {
        for (Parameter p : loaded.network().getParameters().values()) {
          assertEquals(DataType.FLOAT32, p.getArray().getDataType());
        }
        NDArray latents = TinyVae.normal(m, 1, 1, 16, 2, 2, 3);
        assertEquals(0f, TinyVae.maxAbsDiff(saved.decode(latents, 2), loaded.decode(latents, 2)));
        NDArray clip = TinyVae.normal(m, 2, 1, 3, 5, 16, 24);
        assertEquals(0f, TinyVae.maxAbsDiff(saved.encode(clip).mean(), loaded.encode(clip).mean()));
      }
    }
  }

  @Test
  void configSurvivesJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (VaeConfig c : new VaeConfig[] {VaeConfig.defaults(), TinyVae.config(), TinyVae.config().withSettleLatents(6)}) {
      assertEquals(c, VaeConfig.fromJson(json.readTree(c.toJson(json).toString())));
    }
    assertTrue(VaeConfig.defaults().toJson(json).path("settle_latents").isMissingNode(),
        "a config without lead-in writes the manifest as before");
    VaeConfig d = VaeConfig.defaults();
    assertEquals(8, d.spatialFactor());
    assertEquals(4, d.temporalFactor());
    assertEquals(13, d.latentFrames(49));
    assertEquals(49, d.videoFrames(13));
    assertEquals(2, TinyVae.config().groupsFor(2));
    VaeConfig eightGroups = new VaeConfig(3, 16, 4, java.util.List.of(12), java.util.List.of(true), 1, 3, 8, 1e-6f,
        -30f, 20f);
    assertEquals(6, eightGroups.groupsFor(12));
    assertEquals(4, eightGroups.groupsFor(4));
    assertEquals(8, eightGroups.groupsFor(32));
  }

  @Test
  void stillLeadInIsALongerClipCutAndSettlesAStillPicture() throws Exception {
    VaeConfig plainConfig = TinyVae.config();
    int settle = 8;
    try (VaeModel plain = VaeModel.create(plainConfig, 3)) {
      plain.save(dir);
      try (VaeModel settled = VaeModel.load(dir, plainConfig.withSettleLatents(settle));
          NDManager m = NDManager.newBaseManager()) {
        NDArray picture = TinyVae.normal(m, 4, 1, 3, 1, 16, 24);
        NDArray still = picture.repeat(2, 17); // [1, 3, 17, 16, 24]
        NDArray z = settled.encode(still).mean();
        assertEquals(new ai.djl.ndarray.types.Shape(1, 16, 5, 2, 3), z.getShape());
        // By definition: the last 5 latent frames of the same picture held for 32 + 17 frames.
        NDArray longer = plain.encode(picture.repeat(2, 4 * settle + 17)).mean();
        assertTrue(TinyVae.maxAbsDiff(z, longer.get(":, :, " + settle + ":")) < 1e-5f);
        float settledChange = meanChange(z);
        float plainChange = meanChange(plain.encode(still).mean());
        assertTrue(settledChange < 0.1f * plainChange, "a still picture's latents change " + settledChange
            + " per frame after the lead-in, " + plainChange + " without");
        assertEquals(1, settled.encode(picture).mean().getShape().get(2), "an image is still one latent frame");

        NDArray video = settled.decode(z, 2);
        assertEquals(new ai.djl.ndarray.types.Shape(1, 3, 17, 16, 24), video.getShape());
        NDArray led = z.get(":, :, 0:1").repeat(2, settle).concat(z, 2);
        NDArray whole = plain.decode(led, 13);
        assertTrue(TinyVae.maxAbsDiff(video, whole.get(":, :, " + 4 * settle + ":")) < 1e-4f);
      }
    }
  }

  /** Mean |z[t] - z[t-1]| over latent frames of {@code [B, C, T, h, w]}. */
  private static float meanChange(NDArray z) {
    long t = z.getShape().get(2);
    return z.get(":, :, 1:").sub(z.get(":, :, 0:" + (t - 1))).abs().mean().getFloat();
  }

  @Test
  void uint8FramesRoundTripThroughVideoTensors() {
    byte[] frames = new byte[2 * 3 * 4 * 5 * 3];
    new Random(9).nextBytes(frames);
    frames[0] = 0;
    frames[1] = (byte) 255;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray video = VideoTensors.fromBytes(m, frames, 3, 4, 5);
      assertEquals(new ai.djl.ndarray.types.Shape(2, 3, 3, 4, 5), video.getShape());
      // Byte 0 of clip 0 is frame 0, pixel (0, 0), red; byte 1 the same pixel's green.
      assertEquals(-1f, video.getFloat(0, 0, 0, 0, 0), 1e-6f);
      assertEquals(1f, video.getFloat(0, 1, 0, 0, 0), 1e-6f);
      assertArrayEquals(frames, VideoTensors.toBytes(video));
      assertArrayEquals(new byte[] {0, (byte) 255, (byte) 128},
          VideoTensors.toBytes(m.create(new float[] {-3f, 2f, 0.0039f}).reshape(1, 3, 1, 1, 1)));
    }
  }
}
