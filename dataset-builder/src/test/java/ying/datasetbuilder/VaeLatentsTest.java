package ying.datasetbuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.cli.Main;
import ying.core.io.Storage;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;

/** {@code build-dataset --vae}: each row carries the latents its frames encode to, and the manifest names the VAE. */
class VaeLatentsTest {
  @TempDir static Path dir;
  static Path labels;
  static String registry;
  static final VaeConfig NARROW = new VaeConfig(3, 16, 4, List.of(8, 8, 16), List.of(true, true, false), 1, 3, 4,
      1e-6f, -30f, 20f);

  @BeforeAll
  static void synthAndAVae() throws Exception {
    Path synth = dir.resolve("synth");
    assertEquals(0, Main.run("synth", "--count", "2", "--seed", "21", "--out", synth.toString(), "--min-scene-s", "2.5",
        "--max-scene-s", "6.5", "--max-scenes", "2", "--master", "local[2]"));
    labels = synth.resolve("labels");
    registry = dir.resolve("models").toString();
    Path staged = Files.createDirectories(dir.resolve("staged"));
    try (VaeModel vae = VaeModel.create(NARROW, 4)) {
      vae.save(staged);
    }
    new Registry(Storage.local(), registry).publish(staged, new Registry.Publication("vae", null, "none", "none",
        Map.of(), NARROW.toJson(new ObjectMapper()), Map.of()));
  }

  @Test
  void rowsCarryTheLatentsOfTheirFramesAndTheManifestNamesTheVae() throws Exception {
    Path out = dir.resolve("with-latents");
    assertEquals(0, Main.run("build-dataset", "--clips", labels.toString(), "--out", out.toString(), "--vae", "vae",
        "--registry", registry, "--disable-filter", "static", "--val-fraction", "0", "--master", "local[2]"));
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    List<Row> rows;
    try {
      rows = spark.read().parquet(out.toString())
          .select("clip_id", "num_frames", "height", "width", "frames", "latents", "latent_shape", "vae").collectAsList();
    } finally {
      spark.stop();
    }
    assertFalse(rows.isEmpty());
    try (NDManager m = NDManager.newBaseManager()) {
      for (Row r : rows) {
        int t = r.getInt(1);
        List<Integer> shape = r.getList(6);
        assertEquals(List.of(16, 1 + (t - 1) / 4, r.getInt(2) / 8, r.getInt(3) / 8), shape, r.getString(0));
        float[] stored = VaeLatents.halfToFloats(r.getAs(5));
        assertEquals(shape.stream().mapToInt(Integer::intValue).reduce(1, (a, b) -> a * b), stored.length);
        assertEquals("vae@1", r.getString(7));
      }
      // The first clip's latents are what the VAE encodes its stored frames to (up to float16 rounding).
      Row first = rows.get(0);
      try (NDManager scope = m.newSubManager()) {
        float[] expected;
        try (VaeModel vae = VaeModel.load(new Registry(Storage.local(), registry).load(ModelRef.parse("vae@1")))) {
          expected = vae.encode(scope, (byte[]) first.getAs(4), first.getInt(1), first.getInt(2), first.getInt(3))
              .mean().toFloatArray();
        }
        float[] stored = VaeLatents.halfToFloats(first.getAs(5));
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], stored[i], 2e-3 * Math.max(1, Math.abs(expected[i])), "latent " + i);
        }
      }
    }
    // Trainers read the latents through the shard reader, batched like the frames.
    int batches = 0;
    for (ying.core.dataset.DatasetBatch b : new ying.core.dataset.ShardReader(Storage.local(), out.toString(),
        ying.core.dataset.DatasetLayout.TRAIN, null, 4, -1, 1)) {
      assertTrue(b.hasLatents());
      assertEquals(16, b.latentShape()[0]);
      assertEquals(1 + (b.frames() - 1) / 4, b.latentShape()[1]);
      assertEquals(b.size() * 2 * java.util.Arrays.stream(b.latentShape()).reduce(1, (x, y) -> x * y),
          b.latents().length);
      batches++;
    }
    assertTrue(batches > 0);
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("_manifest.json").toFile());
    assertEquals("vae@1", manifest.get("vae").get("ref").asText());
  }

  @Test
  void aVaeThatDoesNotExistIsRefusedBeforeAnythingIsWritten() {
    Path out = dir.resolve("refused");
    assertTrue(Main.run("build-dataset", "--clips", labels.toString(), "--out", out.toString(), "--vae", "vae@7",
        "--registry", registry, "--master", "local[2]") != 0);
    assertFalse(Files.exists(out));
  }

  @Test
  void halfFloatsDecodeExactly() {
    // 1.0, -2.0, 65504 (largest half), the smallest subnormal, +infinity.
    byte[] half = {0x00, 0x3c, 0x00, (byte) 0xc0, (byte) 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c};
    float[] f = VaeLatents.halfToFloats(half);
    assertEquals(1f, f[0]);
    assertEquals(-2f, f[1]);
    assertEquals(65504f, f[2]);
    assertEquals(0x1p-24f, f[3]);
    assertEquals(Float.POSITIVE_INFINITY, f[4]);
  }
}
