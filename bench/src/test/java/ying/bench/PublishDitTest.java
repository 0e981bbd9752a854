package ying.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import ying.core.dataset.DatasetLayout;
import ying.core.djl.Weights;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.text.Tokenizer;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.trainer.Publishing;

/** Publishing a raw DiT run: its end, or one of its snapshots with a manifest that stops where the snapshot does. */
class PublishDitTest {
  @TempDir Path dir;

  @Test
  void publishesARunsEndOrOneOfItsSnapshotsTruthfully() throws Exception {
    // A registry holding the VAE the latents name, and the dataset they came from (its manifest's hash).
    String registry = dir.resolve("registry").toString();
    VaeConfig vaeConfig = new VaeConfig(3, 16, 4, List.of(8, 8, 16), List.of(true, true, false), 1, 3, 4, 1e-6f, -30f,
        20f);
    Path vaeDir = dir.resolve("vae");
    Files.createDirectories(vaeDir);
    try (VaeModel vae = VaeModel.create(vaeConfig, 3)) {
      vae.save(vaeDir);
    }
    assertEquals("vae@1", new Registry(Storage.local(), registry).publish(vaeDir, new Registry.Publication("vae", null,
        "file:/elsewhere", "0", Map.of(), vaeConfig.toJson(RawRun.JSON), Map.of())).toString());
    String dataset = Storage.normalise(dir.resolve("ds").toString());
    Storage.local().writeStringAtomically(new DatasetLayout(dataset).manifest(), "{\"content_sha256\": \"abc123\"}");
    Path file = TrainDitRawTest.alternatingLatents(dir.resolve("z.raw"),
        List.of("a red circle moves left", "a blue square stays still"), 24, 8);
    Files.writeString(Path.of(file + ".json"), "{\"dataset\": \"" + dataset + "\", \"val_clips\": 8, \"latents\": \"vae@1\"}");

    Path run = dir.resolve("run");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out", run.toString(),
        "--width", "64", "--blocks", "1", "--steps", "30", "--batch", "4", "--lr", "0.003", "--warmup", "2",
        "--val-every", "10", "--snapshots"));
    List<double[]> log = Publishing.readLossLog(run.resolve("training_log.csv"));
    double[] at20 = log.stream().filter(r -> r[0] == 20).findFirst().orElseThrow();

    assertEquals(0, publish("--weights", run.toString(), "--registry", registry, "--samples", "0", "--step", "20"));
    JsonNode snap = manifest(registry, "1");
    assertEquals(20, snap.path("steps").asInt(), snap.toString());
    assertEquals(Math.round(at20[4] * 100000) / 100000.0, snap.path("metrics").path("val_loss").asDouble(), 1e-9,
        "the val loss measured at the snapshot, not at the run's end");
    assertEquals(Math.round(at20[1] * 100000) / 100000.0, snap.path("metrics").path("final_train_loss").asDouble(), 1e-9);
    assertEquals(Math.round(at20[3]), snap.path("training_seconds").asLong());
    assertTrue(snap.path("snapshot").asText().contains("step 20 of a 30-step run (its run/step-00020)"),
        snap.path("snapshot").asText());
    assertTrue(snap.path("command").asText().contains("--steps 30"), "the command that ran, whole: " + snap);
    assertEquals("abc123", snap.path("training_data").path("hash").asText());
    Path published = Path.of(registry, "dit", "1");
    List<double[]> cut = Publishing.readLossLog(published.resolve("training_log.csv"));
    assertEquals(20, cut.get(cut.size() - 1)[0]);
    assertEquals(log.stream().filter(r -> r[0] <= 20).count(), cut.size());

    // The published weights are the snapshot's, stored in float16 as every checkpoint is.
    Path step20 = run.resolve("step-00020");
    Path rounded = dir.resolve("rounded");
    Files.createDirectories(rounded);
    try (DitModel model = DitModel.load(step20, DirectionProbe.config(step20),
        Tokenizer.load(step20.resolve(DitModel.TOKENIZER_FILE)))) {
      model.save(rounded);
    }
    byte[] publishedWeights = Files.readAllBytes(published.resolve(DitModel.PARAMS_FILE));
    assertArrayEquals(Files.readAllBytes(rounded.resolve(DitModel.PARAMS_FILE)), publishedWeights);
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(run.resolve(DitModel.PARAMS_FILE)), publishedWeights),
        "ten more steps at rate 0.003 move the weights");

    // Without --step: the run's end, its own seconds, no snapshot fact.
    assertEquals(0, publish("--weights", run.toString(), "--registry", registry, "--samples", "0"));
    JsonNode end = manifest(registry, "2");
    assertEquals(30, end.path("steps").asInt());
    assertTrue(end.path("snapshot").isMissingNode(), end.toString());
    assertEquals(Math.round(log.get(log.size() - 1)[4] * 100000) / 100000.0, end.path("metrics").path("val_loss")
        .asDouble(), 1e-9);
    try (DitModel back = DitModel.load(Path.of(registry, "dit", "2"), DitConfig.fromJson(end.get("config")),
        Tokenizer.load(Path.of(registry, "dit", "2", DitModel.TOKENIZER_FILE)))) {
      assertEquals(64, back.config().dim());
    }

    // --vae: the same weights, decoded by a VAE that makes the same latents (its decoder changed, its encoder
    // not); one with another encoder is refused.
    Registry models = new Registry(Storage.local(), registry);
    Path tuned = Files.createDirectories(dir.resolve("vae-tuned"));
    try (VaeModel vae = VaeModel.load(vaeDir, vaeConfig)) {
      var params = vae.djlModel().getBlock().getParameters();
      String last = params.keys().stream().filter(k -> k.startsWith("02decoder")).reduce((x, y) -> y).orElseThrow();
      Weights.replace(params.get(last), params.get(last).getArray().add(0.25f));
      vae.save(tuned);
    }
    Path other = Files.createDirectories(dir.resolve("vae-other"));
    try (VaeModel vae = VaeModel.create(vaeConfig, 4)) {
      vae.save(other);
    }
    for (Path v : List.of(tuned, other)) {
      models.publish(v, new Registry.Publication("vae", "vae@1", "file:/elsewhere", "0", Map.of(),
          vaeConfig.toJson(RawRun.JSON), Map.of()));
    }
    assertEquals(1, publish("--weights", run.toString(), "--registry", registry, "--samples", "0", "--vae", "vae@3"));
    assertFalse(Files.exists(Path.of(registry, "dit", "3")));
    assertEquals(0, publish("--weights", run.toString(), "--registry", registry, "--samples", "0", "--vae", "vae@2"));
    JsonNode paired = manifest(registry, "3");
    assertEquals("vae@2", paired.path("vae").asText());
    assertEquals("vae@1", paired.path("latents_of").asText());
    assertArrayEquals(Files.readAllBytes(Path.of(registry, "dit", "2", DitModel.PARAMS_FILE)),
        Files.readAllBytes(Path.of(registry, "dit", "3", DitModel.PARAMS_FILE)));

    // Refused, publishing nothing: a step with no snapshot (the end is not one), a run that never finished.
    assertEquals(1, publish("--weights", run.toString(), "--registry", registry, "--samples", "0", "--step", "25"));
    assertEquals(1, publish("--weights", run.toString(), "--registry", registry, "--samples", "0", "--step", "30"));
    Files.delete(run.resolve("run.json"));
    assertEquals(1, publish("--weights", run.toString(), "--registry", registry, "--samples", "0", "--step", "20"));
    assertFalse(Files.exists(Path.of(registry, "dit", "4")));
  }

  private static int publish(String... args) {
    return new CommandLine(new PublishDit()).execute(args);
  }

  private static JsonNode manifest(String registry, String version) throws java.io.IOException {
    return RawRun.JSON.readTree(Path.of(registry, "dit", version, "manifest.json").toFile());
  }
}
