package ying.captioner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.text.Tokenizer;

/** The captioner network's shapes, causality and persistence, with and without the conv stem. */
class VideoCaptionerTest {
  private static final Tokenizer TOKENIZER = Tokenizer.build(List.of("the camera pans left. a red circle moves up."));

  @TempDir Path dir;

  @Test
  void theStemFeedsTubeletsOfItsFeatureMaps() {
    CaptionerConfig c = CaptionerConfig.defaults(TOKENIZER.size());
    assertEquals(96, c.stemChannels());
    assertEquals(2 * 2 * 2 * 96, c.tubeletValues());
    assertEquals(4 * 4 * 6, c.videoTokens());
    assertThrows(IllegalArgumentException.class,
        () -> new CaptionerConfig(8, 64, 96, 2, 4, 128, 4, 2, 2, 48, 20, 96));
  }

  @Test
  void laterTokensNeverChangeEarlierLogits() {
    for (int stem : new int[] {0, 32}) {
      CaptionerConfig c = new CaptionerConfig(4, 32, 48, 2, 16, 32, 2, 1, 1, 16, TOKENIZER.size(), stem);
      try (CaptionerModel m = CaptionerModel.create(c, TOKENIZER); NDManager scope = m.djlModel().getNDManager()
          .newSubManager()) {
        ParameterStore ps = new ParameterStore(scope, false);
        NDArray video = m.network().encode(ps, randomFrames(scope, c, 2), false);
        assertEquals(new Shape(2, c.videoTokens(), c.dim()), video.getShape());
        NDArray a = m.network().decode(ps, video, scope.create(new int[] {1, 5, 6, 7, 1, 5, 6, 7}, new Shape(2, 4)),
            false);
        NDArray b = m.network().decode(ps, video, scope.create(new int[] {1, 5, 6, 3, 1, 5, 6, 4}, new Shape(2, 4)),
            false);
        assertEquals(new Shape(2, 4, TOKENIZER.size()), a.getShape());
        assertArrayEquals(a.get(":, :3, :").toFloatArray(), b.get(":, :3, :").toFloatArray(), 1e-5f, "stem " + stem);
        float last = a.get(":, 3, :").sub(b.get(":, 3, :")).abs().max().getFloat();
        assertEquals(true, last > 0, "the last position must see its own token (stem " + stem + ")");
      }
    }
  }

  @Test
  void savedWeightsCaptionExactlyLikeTheOriginal() throws Exception {
    CaptionerConfig c = new CaptionerConfig(4, 32, 48, 2, 16, 32, 2, 1, 1, 16, TOKENIZER.size(), 16);
    byte[] frames = new byte[2 * 4 * 32 * 48 * 3];
    new Random(3).nextBytes(frames);
    try (CaptionerModel m = CaptionerModel.create(c, TOKENIZER)) {
      m.save(dir);
      CaptionerConfig back = CaptionerConfig.fromJson(c.toJson(new ObjectMapper()));
      assertEquals(c, back);
      try (CaptionerModel loaded = CaptionerModel.load(dir, back, Tokenizer.load(dir.resolve(CaptionerModel
          .TOKENIZER_FILE)))) {
        assertEquals(m.caption(frames, 2, 1), loaded.caption(frames, 2, 1));
        assertEquals(m.caption(frames, 2, 3), loaded.caption(frames, 2, 3));
      }
    }
  }

  @Test
  void captioningLeavesNothingOnTheModelsManager() {
    CaptionerConfig c = new CaptionerConfig(4, 32, 48, 2, 16, 32, 2, 1, 1, 16, TOKENIZER.size(), 16);
    byte[] frames = new byte[2 * 4 * 32 * 48 * 3];
    new Random(4).nextBytes(frames);
    try (CaptionerModel m = CaptionerModel.create(c, TOKENIZER)) {
      List<Caption> first = m.caption(frames, 2, 3);
      int arrays = m.djlModel().getNDManager().getManagedArrays().size();
      for (int i = 0; i < 3; i++) {
        assertEquals(first, m.caption(frames, 2, 3));
      }
      // A slice of a parameter goes to the model's manager unless the pass moves it: the decoder's
      // slice of its position table once stayed there, one a decoding step, for as long as the model lived.
      assertEquals(arrays, m.djlModel().getNDManager().getManagedArrays().size());
    }
  }

  @Test
  void weightsAreStoredInHalfPrecision() throws Exception {
    CaptionerConfig c = new CaptionerConfig(4, 32, 48, 2, 16, 64, 2, 1, 1, 16, TOKENIZER.size(), 16);
    try (CaptionerModel m = CaptionerModel.create(c, TOKENIZER)) {
      long values = m.djlModel().getBlock().getParameters().values().stream()
          .mapToLong(p -> p.getArray().size()).sum();
      m.save(dir);
      long bytes = java.nio.file.Files.size(dir.resolve(CaptionerModel.PARAMS_FILE));
      assertEquals(true, bytes < values * 2.2 && bytes >= values * 2, bytes + " bytes for " + values + " values");
      m.djlModel().getBlock().getParameters().values()
          .forEach(p -> assertEquals(DataType.FLOAT32, p.getArray().getDataType(), p.getName()));
    }
  }

  @Test
  void aConfigWithoutAStemReadsAsTheFirstRelease() throws Exception {
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) CaptionerConfig.defaults(30).toJson(new ObjectMapper());
    json.remove("stem_channels");
    assertEquals(0, CaptionerConfig.fromJson(json).stemChannels());
  }

  private static NDArray randomFrames(NDManager scope, CaptionerConfig c, int batch) {
    byte[] bytes = new byte[batch * c.frames() * c.height() * c.width() * 3];
    new Random(1).nextBytes(bytes);
    return scope.create(ByteBuffer.wrap(bytes), CaptionerModel.frameShape(c, batch), DataType.UINT8);
  }
}
