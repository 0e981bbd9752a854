package ying.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import ying.core.text.Tokenizer;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.trainer.Publishing;

/** The DiT's raw-latent path: the file round trip, and a fine-tune that learns and writes a loadable model. */
class TrainDitRawTest {
  @TempDir Path dir;
  private static final List<String> CAPTIONS = List.of("a red circle moves left", "a blue square stays still");
  private static final int[] SHAPE = {16, 2, 4, 4};

  /** {@code count} clips alternating the two captions, latents all +0.5 or all -0.5 (float16) by caption. */
  private Path latents(int count, int valClips) throws IOException {
    return alternatingLatents(dir.resolve("z.raw"), CAPTIONS, count, valClips);
  }

  /**
   * A raw latent file of {@code count} clips of shape {@link #SHAPE} alternating two captions, the
   * first caption's latents all +0.5, the second's all -0.5 (float16), the last {@code valClips} for val.
   */
  static Path alternatingLatents(Path file, List<String> twoCaptions, int count, int valClips) throws IOException {
    int values = SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3];
    List<byte[]> z = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] clip = new byte[2 * values];
      for (int v = 0; v < values; v++) {
        clip[2 * v + 1] = (byte) (i % 2 == 0 ? 0x38 : 0xB8); // 0x3800 = 0.5, 0xB800 = -0.5, little-endian
      }
      z.add(clip);
      captions.add(twoCaptions.get(i % 2));
    }
    new RawLatents(5, 32, 32, SHAPE, z, captions).write(file);
    Files.writeString(Path.of(file + ".json"), "{\"dataset\": \"file:/somewhere/ds\", \"val_clips\": " + valClips
        + ", \"latents\": \"vae@4\"}");
    return file;
  }

  @Test
  void latentFileRoundTripsAndRefusesDamage() throws Exception {
    Path file = latents(6, 2);
    RawLatents back = RawLatents.read(file);
    assertEquals(6, back.latents.size());
    assertArrayEquals(SHAPE, back.shape);
    assertEquals(CAPTIONS.get(1), back.captions.get(3));
    var batch = back.endless(4, 3, new java.util.Random(1)).next();
    assertEquals(3, batch.size());
    assertArrayEquals(SHAPE, batch.latentShape());
    assertEquals(3 * back.clipBytes(), batch.latents().length);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.raw");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    assertThrows(IOException.class, () -> RawLatents.read(cut));
    Files.writeString(cut, "YINGCLIPS2 is another format");
    assertThrows(IOException.class, () -> RawLatents.read(cut));
  }

  /** A narrow VAE of the release's factors (4x in time, 8x in space, 16 channels) saved as checkpoint vae@VERSION. */
  private Path vaeFolder(String version) throws IOException {
    VaeConfig config = new VaeConfig(3, 16, 4, List.of(8, 8, 16), List.of(true, true, false), 1, 3, 4, 1e-6f, -30f, 20f);
    Path folder = dir.resolve("vae-" + version);
    Files.createDirectories(folder);
    try (VaeModel vae = VaeModel.create(config, 3)) {
      vae.save(folder);
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = json.createObjectNode().put("name", "vae").put("version", version);
    manifest.set("config", config.toJson(json));
    Files.writeString(folder.resolve("manifest.json"), manifest.toString());
    return folder;
  }

  @Test
  void trainsOnClipsRenderedAndEncodedAsItGoes() throws Exception {
    int[] shape = {16, 2, 8, 12}; // 5 frames of 96x64 through the VAE
    List<byte[]> z = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      byte[] clip = new byte[2 * 16 * 2 * 8 * 12];
      for (int v = 1; v < clip.length; v += 2) {
        clip[v] = (byte) (i % 2 == 0 ? 0x38 : 0xB8); // +-0.5 in float16, little-endian
      }
      z.add(clip);
      captions.add(CAPTIONS.get(i % 2));
    }
    Path file = dir.resolve("z96.raw");
    new RawLatents(5, 64, 96, shape, z, captions).write(file);
    Files.writeString(Path.of(file + ".json"), "{\"val_clips\": 4, \"latents\": \"vae@4\"}");
    Path vae = vaeFolder("4");
    Path out = dir.resolve("rendered");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out", out.toString(),
        "--width", "64", "--blocks", "1", "--steps", "20", "--batch", "2", "--lr", "0.003", "--warmup", "2",
        "--val-every", "10", "--render-seed", "5", "--vae", vae.toString(), "--file-share", "0.5",
        "--render-threads", "2"));
    JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
    assertEquals(5, run.path("rendered_world_seed").asInt());
    long rendered = run.path("rendered_batches").asLong();
    long fromFile = run.path("file_batches").asLong();
    assertEquals(20, rendered + fromFile, run.toString());
    assertTrue(rendered > 0 && fromFile > 0, "a half share mixes both kinds: " + run);
    Tokenizer tokenizer = Tokenizer.load(out.resolve(DitModel.TOKENIZER_FILE));
    assertTrue(tokenizer.size() > Tokenizer.build(CAPTIONS).size() + 10, "a new DiT learns the rendered world's words");
    assertTrue(tokenizer.encode("the camera pans left", 8)[2] != Tokenizer.UNK);

    // A rendered batch: world captions, latents of the file's shape.
    try (RenderedLatents latents = new RenderedLatents(new RenderedClips(5, 5, 2, 1, null, 0, 0), VaeModel.load(vae,
        VaeConfig.fromJson(new ObjectMapper().readTree(vae.resolve("manifest.json").toFile()).get("config"))))) {
      var batch = latents.alone().next();
      assertArrayEquals(shape, batch.latentShape());
      assertEquals(2 * 2 * 16 * 2 * 8 * 12, batch.latents().length);
      assertTrue(batch.captions().get(0).startsWith("The camera "), batch.captions().get(0));
    }

    // Refused: a VAE other than the file's, --vae alone, a file of another clip size.
    Path other = vaeFolder("5");
    assertEquals(1, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out",
        dir.resolve("r1").toString(), "--steps", "1", "--render-seed", "5", "--vae", other.toString()));
    assertEquals(1, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out",
        dir.resolve("r2").toString(), "--steps", "1", "--vae", vae.toString()));
    assertEquals(1, new CommandLine(new TrainDitRaw()).execute("--latents", latents(6, 2).toString(), "--out",
        dir.resolve("r3").toString(), "--steps", "1", "--render-seed", "5", "--vae", vae.toString()));
  }

  @Test
  void weighsTheLossByWhereTheClipsFramesShowObjects() throws Exception {
    Path file = latents(24, 8);
    RawLatents z = RawLatents.read(file);
    // The same clips' frames (5 of 32x32): the even clips show a red 8x8 square in the top-left latent cell.
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      byte[] clip = new byte[5 * 32 * 32 * 3];
      for (int f = 0; i % 2 == 0 && f < 5; f++) {
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            int p = 3 * ((f * 32 + y) * 32 + x);
            clip[p] = (byte) 0xE6;
            clip[p + 1] = 0x28;
            clip[p + 2] = 0x28;
          }
        }
      }
      frames.add(clip);
    }
    Path pixels = dir.resolve("px.raw");
    new RawClips(5, 32, 32, frames, z.captions).write(pixels);
    RawLatents covered = z.withObjectCover(RawClips.read(pixels), pixels);
    assertEquals(1.0 / 32, covered.meanObjectCover(2), 1e-6,
        "one of 16 cells in each latent frame of clip 0, none of clip 1");
    var batch = covered.batches(0, 2, 2).get(0);
    assertArrayEquals(new float[] {1f, 0f}, java.util.Arrays.copyOf(batch.objectCover(), 2));
    assertEquals(2 * 2 * 4 * 4, batch.objectCover().length);

    Path out = dir.resolve("weighted");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out", out.toString(),
        "--width", "64", "--blocks", "1", "--steps", "20", "--batch", "4", "--lr", "0.003", "--warmup", "2",
        "--val-every", "10", "--object-weight", "4", "--object-pixels", pixels.toString()));
    assertEquals(4.0, new ObjectMapper().readTree(out.resolve("run.json").toFile()).path("object_weight").asDouble());

    // Refused: a weight without the frames, and frames of other clips.
    assertTrue(new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out",
        dir.resolve("w1").toString(), "--steps", "1", "--object-weight", "4") != 0);
    Path others = dir.resolve("others.raw");
    new RawClips(5, 32, 32, frames.subList(0, 20), z.captions.subList(0, 20)).write(others);
    assertEquals(1, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out",
        dir.resolve("w2").toString(), "--steps", "1", "--object-weight", "4", "--object-pixels", others.toString()));
  }

  @Test
  void trainsANewFineGrainedDitWithoutInit() throws Exception {
    Path file = latents(24, 8);
    assertEquals(0.5f, RawLatents.read(file).spread(16), 1e-6f, "values of +-0.5 in equal numbers");
    Path out = dir.resolve("new");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out", out.toString(),
        "--width", "64", "--blocks", "1", "--patch", "1", "--steps", "60", "--batch", "4", "--lr", "0.003",
        "--warmup", "2", "--val-every", "10", "--caption-dropout", "0"));
    ObjectMapper json = new ObjectMapper();
    JsonNode run = json.readTree(out.resolve("run.json").toFile());
    assertTrue(run.path("init").isMissingNode() && run.path("init_ref").isMissingNode(), run.toString());
    assertEquals(0.5, run.path("latent_std").asDouble(), 1e-6);
    DitConfig config = DitConfig.fromJson(json.readTree(out.resolve("config.json").toFile()));
    assertEquals(1, config.patch());
    assertEquals(64, config.dim());
    assertEquals(1, config.layers());
    assertEquals(2f, config.latentScale(), 1e-6f);
    Tokenizer tokenizer = Tokenizer.load(out.resolve(DitModel.TOKENIZER_FILE));
    assertEquals(Tokenizer.build(CAPTIONS).size(), tokenizer.size(), "built from the file's captions");
    List<double[]> log = Publishing.readLossLog(out.resolve("training_log.csv"));
    double firstVal = log.stream().filter(r -> !Double.isNaN(r[4])).findFirst().orElseThrow()[4];
    double lastVal = log.get(log.size() - 1)[4];
    assertTrue(lastVal < 0.95 * firstVal, "val loss should fall on two kinds of clip: " + firstVal + " -> " + lastVal);
    assertEquals(1, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out",
        dir.resolve("refused").toString(), "--init", out.toString(), "--patch", "1", "--steps", "1"),
        "an --init model keeps its own shape");

    // --snapshots keeps the weights at each val measurement but the last, and leaves the run as it was.
    Path snapped = dir.resolve("snapped");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out",
        snapped.toString(), "--width", "64", "--blocks", "1", "--patch", "1", "--steps", "60", "--batch", "4", "--lr",
        "0.003", "--warmup", "2", "--val-every", "10", "--caption-dropout", "0", "--snapshots"));
    try (var files = java.nio.file.Files.list(snapped)) {
      assertEquals(List.of("step-00010", "step-00020", "step-00030", "step-00040", "step-00050"),
          files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("step-")).sorted().toList());
    }
    assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(out.resolve("dit-0000.params")),
        java.nio.file.Files.readAllBytes(snapped.resolve("dit-0000.params"))), "the same weights at the end");
    Path step50 = snapped.resolve("step-00050");
    try (DitModel model = DitModel.load(step50, DirectionProbe.config(step50),
        Tokenizer.load(step50.resolve(DitModel.TOKENIZER_FILE)))) {
      assertEquals(64, model.config().dim());
    }
  }

  @Test
  void fineTunesACheckpointFolderAndLearns() throws Exception {
    Tokenizer tokenizer = Tokenizer.build(CAPTIONS);
    DitConfig config = new DitConfig(16, 16, 2, 32, 2, 2, 1, 48, tokenizer.size(), 32, 1f);
    Path init = dir.resolve("dit-3");
    Files.createDirectories(init);
    ObjectMapper json = new ObjectMapper();
    try (DitModel model = DitModel.create(config, tokenizer, 1)) {
      model.save(init);
    }
    ObjectNode manifest = json.createObjectNode().put("name", "dit").put("version", 3);
    manifest.set("config", config.toJson(json));
    Files.writeString(init.resolve("manifest.json"), manifest.toString());
    Path file = latents(24, 8);
    Path out = dir.resolve("run");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--init",
        init.toString(), "--out", out.toString(), "--steps", "60", "--batch", "4", "--lr", "0.003", "--warmup", "2",
        "--val-every", "10", "--caption-dropout", "0"));
    JsonNode run = json.readTree(out.resolve("run.json").toFile());
    assertEquals(60, run.path("steps").asInt());
    assertEquals("vae@4", run.path("vae").asText());
    assertEquals("dit@3", run.path("init_ref").asText());
    assertEquals("file:/somewhere/ds", run.path("clips").path("dataset").asText());
    List<double[]> log = Publishing.readLossLog(out.resolve("training_log.csv"));
    double firstVal = log.stream().filter(r -> !Double.isNaN(r[4])).findFirst().orElseThrow()[4];
    double lastVal = log.get(log.size() - 1)[4];
    // The val clips keep fixed noise, so the fall is the weights' doing (0.580 -> 0.520 when written).
    assertTrue(lastVal < 0.95 * firstVal, "val loss should fall on two kinds of clip: " + firstVal + " -> " + lastVal);
    try (DitModel back = DitModel.load(out, DitConfig.fromJson(json.readTree(out.resolve("config.json").toFile())),
        Tokenizer.load(out.resolve(DitModel.TOKENIZER_FILE)))) {
      assertEquals(config, back.config());
    }

    // --i2v from a text-to-video folder widens it to read the first frame; the run says so.
    Path widened = dir.resolve("widened");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--init",
        init.toString(), "--i2v", "--image-dropout", "0.5", "--noise-tilt", "2", "--shape-contrast", "1", "--out", widened.toString(), "--steps",
        "10", "--batch", "4", "--val-every", "10"));
    DitConfig wide = DitConfig.fromJson(json.readTree(widened.resolve("config.json").toFile()));
    assertEquals(config.forData(config.vocabSize(), config.latentScale(), true), wide);
    JsonNode facts = json.readTree(widened.resolve("run.json").toFile());
    assertTrue(facts.path("widened").asText().startsWith("text-to-video init widened"), facts.toString());
    assertEquals(0.5, facts.path("image_dropout").asDouble(), 1e-6);
    assertEquals(2, facts.path("noise_tilt").asDouble(), 1e-6);
    assertEquals(1, facts.path("shape_contrast").asDouble(), 1e-6);

    // --blocks grows it deeper (and widens it with --i2v in the same run); fewer blocks than it has are refused.
    Path deeper = dir.resolve("deeper");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--init",
        init.toString(), "--i2v", "--blocks", "3", "--out", deeper.toString(), "--steps", "10", "--batch", "4",
        "--val-every", "10"));
    DitConfig deep = DitConfig.fromJson(json.readTree(deeper.resolve("config.json").toFile()));
    assertEquals(wide.withLayers(3), deep);
    JsonNode grown = json.readTree(deeper.resolve("run.json").toFile());
    assertTrue(grown.path("deepened").asText().startsWith("the init's 2 blocks spread over 3"), grown.toString());
    assertTrue(grown.has("widened"), grown.toString());
    assertEquals(1, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--init",
        init.toString(), "--blocks", "2", "--out", dir.resolve("not-deeper").toString(), "--steps", "1"),
        "--blocks must add blocks to an --init model");
  }
}
