package ying.inference.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CausalVaeTest {
  private static VaeModel vae;

  @BeforeAll
  static void build() {
    vae = VaeModel.create(TinyVae.config(), 7);
  }

  @AfterAll
  static void close() {
    vae.close();
  }

  private static NDManager scope() {
    return vae.djlModel().getNDManager().newSubManager();
  }

  @Test
  void clipOf1Plus4kFramesEncodesTo1PlusKLatentFramesAtOneEighthSize() {
    try (NDManager m = scope()) {
      DiagonalGaussian five = vae.encode(TinyVae.normal(m, 1, 1, 3, 5, 16, 24));
      assertEquals(new Shape(1, 16, 2, 2, 3), five.mean().getShape());
      assertEquals(new Shape(1, 16, 2, 2, 3), five.logVar().getShape());
      assertEquals(new Shape(2, 16, 3, 2, 3), vae.encode(TinyVae.normal(m, 2, 2, 3, 9, 16, 24)).mean().getShape());
      assertEquals(new Shape(1, 16, 1, 2, 3), vae.encode(TinyVae.normal(m, 3, 1, 3, 1, 16, 24)).mean().getShape());
    }
  }

  @Test
  void decodeMirrorsEncodeShapes() {
    try (NDManager m = scope()) {
      assertEquals(new Shape(1, 3, 5, 16, 24), vae.decode(TinyVae.normal(m, 1, 1, 16, 2, 2, 3), 8).getShape());
      assertEquals(new Shape(1, 3, 1, 16, 24), vae.decode(TinyVae.normal(m, 2, 1, 16, 1, 2, 3), 8).getShape());
      assertEquals(new Shape(2, 3, 13, 16, 24), vae.decode(TinyVae.normal(m, 3, 2, 16, 4, 2, 3), 8).getShape());
    }
  }

  @Test
  void defaultConfigMaps49x64x96To13x8x12x16() {
    CausalVae net = new CausalVae(VaeConfig.defaults());
    Shape[] out = net.getOutputShapes(new Shape[] {new Shape(1, 3, 49, 64, 96)});
    assertEquals(new Shape(1, 3, 49, 64, 96), out[0]);
    assertEquals(new Shape(1, 16, 13, 8, 12), out[1]);
    assertEquals(13 * 8 * 12 * 16 / (49.0 * 64 * 96 * 3), out[1].size() / (double) out[0].size(), 1e-12);
  }

  @Test
  void rejectsClipsThatAreNot1Plus4kFrames() {
    try (NDManager m = scope()) {
      NDArray six = TinyVae.normal(m, 1, 1, 3, 6, 16, 24);
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> vae.encode(six));
      assertTrue(e.getMessage().contains("1 + 4k"), e.getMessage());
    }
  }

  @Test
  void latentFramesNeverSeeLaterFrames() {
    try (NDManager m = scope()) {
      NDArray clip = TinyVae.normal(m, 10, 1, 3, 9, 16, 24);
      NDArray base = vae.encode(clip).mean(); // [1, 16, 3, 2, 3]
      // Latent j sees frames up to 4j: changing frames 5..8 leaves latents 0 and 1 alone.
      NDArray lateChange = clip.duplicate();
      lateChange.set(new ai.djl.ndarray.index.NDIndex(":, :, 5:"), TinyVae.normal(m, 11, 1, 3, 4, 16, 24));
      NDArray late = vae.encode(lateChange).mean();
      assertTrue(TinyVae.maxAbsDiff(base.get(":, :, :2"), late.get(":, :, :2")) < 1e-5f);
      assertTrue(TinyVae.maxAbsDiff(base.get(":, :, 2:"), late.get(":, :, 2:")) > 1e-3f);
      // Changing frames 1..4 moves latent 1 (and 2) but never latent 0.
      NDArray earlyChange = clip.duplicate();
      earlyChange.set(new ai.djl.ndarray.index.NDIndex(":, :, 1:5"), TinyVae.normal(m, 12, 1, 3, 4, 16, 24));
      NDArray early = vae.encode(earlyChange).mean();
      assertTrue(TinyVae.maxAbsDiff(base.get(":, :, :1"), early.get(":, :, :1")) < 1e-5f);
      assertTrue(TinyVae.maxAbsDiff(base.get(":, :, 1:2"), early.get(":, :, 1:2")) > 1e-3f);
    }
  }

  @Test
  void anImageEncodesAsTheFirstFrameOfAnyClipItStarts() {
    try (NDManager m = scope()) {
      NDArray clip = TinyVae.normal(m, 20, 1, 3, 5, 16, 24);
      DiagonalGaussian whole = vae.encode(clip);
      DiagonalGaussian image = vae.encode(clip.get(":, :, :1"));
      assertTrue(TinyVae.maxAbsDiff(whole.mean().get(":, :, :1"), image.mean()) < 1e-5f);
      assertTrue(TinyVae.maxAbsDiff(whole.logVar().get(":, :, :1"), image.logVar()) < 1e-5f);
    }
  }

  @Test
  void firstDecodedFrameDependsOnFirstLatentAlone() {
    try (NDManager m = scope()) {
      NDArray latents = TinyVae.normal(m, 30, 1, 16, 3, 2, 3);
      NDArray changed = latents.duplicate();
      changed.set(new ai.djl.ndarray.index.NDIndex(":, :, 1:"), TinyVae.normal(m, 31, 1, 16, 2, 2, 3));
      NDArray a = vae.decode(latents, 3); // [1, 3, 9, 16, 24]
      NDArray b = vae.decode(changed, 3);
      assertTrue(TinyVae.maxAbsDiff(a.get(":, :, :1"), b.get(":, :, :1")) < 1e-5f);
      assertTrue(TinyVae.maxAbsDiff(a.get(":, :, 1:"), b.get(":, :, 1:")) > 1e-3f);
      // And latent 0 alone decodes to that same frame.
      assertTrue(TinyVae.maxAbsDiff(a.get(":, :, :1"), vae.decode(latents.get(":, :, :1"), 1)) < 1e-5f);
    }
  }

  @Test
  void chunkedDecodeEqualsWholeDecode() {
    try (NDManager m = scope()) {
      NDArray latents = TinyVae.normal(m, 40, 1, 16, 4, 2, 3);
      NDArray whole = vae.network().decode(new ParameterStore(m, false), latents, false); // [1, 3, 13, 16, 24]
      assertTrue(whole.sub(whole.mean()).abs().mean().getFloat() > 1e-2f,
          "a constant decode would make the comparison vacuous");
      for (int chunk : new int[] {1, 2, 3}) {
        NDArray chunked = vae.decode(latents, chunk);
        assertEquals(whole.getShape(), chunked.getShape());
        float diff = TinyVae.maxAbsDiff(whole, chunked);
        assertTrue(diff < 1e-4f, "chunks of " + chunk + " differ by " + diff);
      }
    }
  }

  @Test
  void groupNormStatisticsArePerFrame() {
    try (NDManager m = scope()) {
      GroupNorm norm = new GroupNorm(8, 4, 1e-6f);
      norm.initialize(m, DataType.FLOAT32, new Shape(1, 8, 5, 4, 6));
      // Frames at very different scales and offsets: statistics over time would mix them.
      NDArray x = TinyVae.normal(m, 50, 1, 8, 5, 4, 6).mul(m.arange(1f, 6f).reshape(1, 1, 5, 1, 1).pow(2))
          .add(m.arange(5f).reshape(1, 1, 5, 1, 1).mul(10));
      ParameterStore ps = new ParameterStore(m, false);
      NDArray whole = norm.forward(ps, new ai.djl.ndarray.NDList(x), false).head();
      for (int t = 0; t < 5; t++) {
        NDArray alone = norm.forward(ps, new ai.djl.ndarray.NDList(x.get(":, :, " + t + ":" + (t + 1))), false).head();
        assertTrue(TinyVae.maxAbsDiff(whole.get(":, :, " + t + ":" + (t + 1)), alone) < 1e-5f, "frame " + t);
      }
      NDArray groups = whole.reshape(1, 4, 2, 5, 4, 6);
      float[] means = groups.sum(new int[] {2, 4, 5}).div(2 * 4 * 6).toFloatArray(); // [1, 4 groups, 5 frames]
      float[] vars = groups.square().sum(new int[] {2, 4, 5}).div(2 * 4 * 6).toFloatArray();
      float[] zeros = new float[20];
      float[] ones = new float[20];
      java.util.Arrays.fill(ones, 1f);
      assertArrayEquals(zeros, means, 1e-4f);
      assertArrayEquals(ones, vars, 1e-3f);
    }
  }

  @Test
  void posteriorSamplesAroundItsMeanAndHasAKl() {
    try (NDManager m = scope()) {
      DiagonalGaussian q = new DiagonalGaussian(m.zeros(new Shape(1, 2, 1, 1, 1)), m.zeros(new Shape(1, 2, 1, 1, 1)));
      assertEquals(0f, q.kl().getFloat(), 1e-6f);
      NDArray a = q.sample(m, 5);
      assertArrayEquals(a.toFloatArray(), q.sample(m, 5).toFloatArray(), 0f);
      NDArray mean = m.create(new float[] {1f, -2f}).reshape(1, 2, 1, 1, 1);
      NDArray logVar = m.create(new float[] {0f, (float) Math.log(4)}).reshape(1, 2, 1, 1, 1);
      DiagonalGaussian p = new DiagonalGaussian(mean, logVar);
      // KL = 0.5 * sum(mu^2 + var - 1 - log var) = 0.5 * (1 + 0) + 0.5 * (4 + 4 - 1 - log 4)
      assertEquals(0.5 + 0.5 * (7 - Math.log(4)), p.kl().getFloat(), 1e-5);
      NDArray noise = m.create(new float[] {1f, 1f}).reshape(1, 2, 1, 1, 1);
      assertArrayEquals(new float[] {2f, 0f}, p.sample(noise).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {1f, -2f}, p.mode().toFloatArray(), 0f);
    }
  }
}
