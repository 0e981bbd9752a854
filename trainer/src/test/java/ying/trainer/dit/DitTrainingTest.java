package ying.trainer.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.cli.Main;
import ying.core.dataset.DatasetBatch;
import ying.core.dataset.DatasetLayout;
import ying.core.dataset.ShardReader;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.datasetbuilder.VaeLatents;

/** Real DJL training of a tiny DiT on latents a narrow VAE wrote into a tiny dataset. */
class DitTrainingTest {
  @TempDir static Path dir;
  static String registry;
  static String latents;
  static String pixelsOnly;
  static List<String> captions;
  static final DitConfig TINY = new DitConfig(16, 16, 2, 32, 2, 2, 1, 48, 2, 32, 1f);

  @BeforeAll
  static void datasets() throws Exception {
    Path synth = dir.resolve("synth");
    assertEquals(0, Main.run("synth", "--count", "3", "--seed", "4", "--out", synth.toString(), "--min-scene-s", "2.5",
        "--max-scene-s", "4", "--max-scenes", "2", "--master", "local[2]"));
    registry = dir.resolve("models").toString();
    Path staged = Files.createDirectories(dir.resolve("staged"));
    VaeConfig narrow = new VaeConfig(3, 16, 4, List.of(8, 8, 16), List.of(true, true, false), 1, 3, 4, 1e-6f, -30f, 20f);
    try (VaeModel vae = VaeModel.create(narrow, 2)) {
      vae.save(staged);
    }
    new Registry(Storage.local(), registry).publish(staged, new Registry.Publication("vae", null, "none", "none",
        Map.of("latent_std", 0.5), narrow.toJson(new ObjectMapper()), Map.of()));
    latents = dir.resolve("latents").toString();
    assertEquals(0, Main.run("build-dataset", "--clips", synth.resolve("labels").toString(), "--out", latents,
        "--vae", "vae", "--registry", registry, "--val-fraction", "0", "--disable-filter", "static", "--master",
        "local[2]"));
    pixelsOnly = dir.resolve("pixels").toString();
    assertEquals(0, Main.run("build-dataset", "--clips", synth.resolve("labels").toString(), "--out", pixelsOnly,
        "--val-fraction", "0", "--disable-filter", "static", "--master", "local[2]"));
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    captions = spark.read().parquet(latents).select("caption").distinct().as(Encoders.STRING()).collectAsList();
    spark.stop();
  }

  private static DitTrainingConfig config(String data, String init, boolean i2v, int steps) {
    return config(data, init, i2v, steps, 0);
  }

  private static DitTrainingConfig config(String data, String init, boolean i2v, int steps, int samples) {
    return new DitTrainingConfig(data, registry, "vae", init, TINY, "dit", i2v, steps, 2, 2e-3f, 5,
        DitObjective.captionDropout(0.1f), 1, 2, 20, samples, "test");
  }

  @Test
  void publishesADitTrainedElsewhereWithItsRunsFacts() throws Exception {
    // What bench's TrainDitRaw and PublishDit do: fit over plain batches, then publish from the log.
    DitTrainingConfig cfg = config(latents, null, false, 20, 1);
    ying.core.text.Tokenizer tokenizer = ying.core.text.Tokenizer.build(captions);
    List<DatasetBatch> clips = new java.util.ArrayList<>();
    new ShardReader(Storage.local(), latents, DatasetLayout.TRAIN, null, 2, -1, 1).forEach(clips::add);
    try (DitModel model = DitModel.create(TINY.forData(tokenizer.size(), 2f, false), tokenizer, 1)) {
      List<double[]> log = DitTrainer.fit(model, cfg, ying.trainer.Batches.endless(clips::iterator),
          clips.subList(0, 1), new java.util.Random(1));
      assertEquals(20, (int) log.get(log.size() - 1)[0]);
      model.roundToStoredPrecision();
      DitTrainer.Result r = DitTrainer.publishTrained(model, cfg, "dit@7", log, Map.of("trained_on", "a test GPU"),
          Storage.local());
      try (Checkpoint ckpt = new Registry(Storage.local(), registry).load(r.ref())) {
        assertEquals("dit@7", ckpt.manifest().get("parent").asText());
        assertEquals("vae@1", ckpt.manifest().get("vae").asText());
        assertEquals("a test GPU", ckpt.manifest().get("trained_on").asText());
        assertEquals(log.get(log.size() - 1)[4], ckpt.manifest().get("metrics").get("val_loss").asDouble(), 1e-5);
        assertTrue(ckpt.manifest().get("files").has("sample-0.mp4"), ckpt.manifest().toString());
      }
    }
  }

  @Test
  void learnsFromLatentsAndPublishesACheckpointThatNamesItsVae() throws Exception {
    DitTrainer.Result r = DitTrainer.train(config(latents, null, false, 60, 1), captions, Storage.local());
    try (Checkpoint ckpt = new Registry(Storage.local(), registry).load(r.ref())) {
      List<String> log = Files.readAllLines(ckpt.file("training_log.csv"));
      assertEquals(DitTrainer.LOG_HEADER, log.get(0));
      double first = mean(log.subList(1, 6));
      double last = mean(log.subList(log.size() - 5, log.size()));
      // Latents of an untrained VAE hold little structure, so the fall is modest; the seeds make it the same every run.
      assertTrue(last < 0.95 * first, "v loss fell from " + first + " to " + last);
      List<Double> val = log.stream().skip(1).filter(l -> !l.endsWith(","))
          .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1))).toList();
      assertTrue(val.size() >= 2 && val.get(val.size() - 1) < val.get(0), "val loss (fixed noise) fell: " + val);
      assertEquals("vae@1", ckpt.manifest().get("vae").asText());
      // A val prompt sampled with the trained weights, listed in the manifest like every file.
      assertTrue(ckpt.manifest().get("files").has("sample-0.mp4"), ckpt.manifest().toString());
      assertTrue(Files.size(ckpt.file("sample-0.png")) > 500);
      assertTrue(!ckpt.manifest().get("files").has("sample-1.mp4"), "--samples 1 samples one clip");
      assertEquals("t2v", ckpt.manifest().get("mode").asText());
      try (DitModel model = DitModel.load(ckpt)) {
        assertEquals(2f, model.config().latentScale(), 1e-6f, "1 / the VAE's latent spread");
        assertEquals(model.tokenizer().size(), model.config().vocabSize());
      }
      // generate: a prompt in words the grammar never used still works, and the same seed gives the same bytes.
      String ref0 = ckpt.ref().toString();
      Path a = dir.resolve("a.mp4");
      Path b = dir.resolve("b.mp4");
      for (Path out : List.of(a, b)) {
        assertEquals(0, Main.run("generate", "--prompt", "A purple elephant juggles oranges", "--out", out.toString(),
            "--checkpoint", ref0, "--registry", registry, "--frames", "9", "--steps", "4", "--seed", "3"));
      }
      assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "same seed, same bytes");
      assertTrue(Files.size(dir.resolve("a.png")) > 500, "a contact sheet beside the MP4");
      ying.core.video.VideoInfo info = ying.core.video.VideoReader.probe(Storage.local(), a.toString());
      assertEquals(96, info.width());
      assertEquals(64, info.height());
      assertTrue(Main.run("generate", "--prompt", "x", "--out", dir.resolve("c.mp4").toString(), "--checkpoint", ref0,
          "--registry", registry, "--image", dir.resolve("a.png").toString()) != 0,
          "an image for a text-to-video checkpoint is refused");
      // An image-to-video run from a text-to-video checkpoint widens it to read the first frame (as CogVideoX's
      // image-to-video model began); the reverse has no frame to drop and is refused.
      String ref = ckpt.ref().toString();
      DitTrainer.Result widened = DitTrainer.train(config(latents, ref, true, 2), captions, Storage.local());
      try (Checkpoint wide = new Registry(Storage.local(), registry).load(widened.ref());
          DitModel model = DitModel.load(wide)) {
        assertEquals("i2v", wide.manifest().get("mode").asText());
        assertEquals(ref, wide.manifest().get("parent").asText());
        assertEquals(2 * model.config().latentChannels(), model.config().inputChannels());
      }
      // --blocks grows it deeper: its blocks spread over more, the manifest's config says how many.
      assertEquals(0, Main.run("train-dit", "--data", latents, "--registry", registry, "--init", ref, "--blocks", "3",
          "--steps", "2", "--batch", "2", "--samples", "0", "--master", "local[1]"));
      try (Checkpoint deep = new Registry(Storage.local(), registry).load(ModelRef.parse("dit"));
          DitModel model = DitModel.load(deep)) {
        assertEquals(ref, deep.manifest().get("parent").asText());
        assertEquals(3, model.config().layers());
        assertEquals(TINY.layers(), DitConfig.fromJson(ckpt.config()).layers());
      }
      assertEquals(1, Main.run("train-dit", "--data", latents, "--registry", registry, "--init", ref, "--blocks",
          String.valueOf(TINY.layers()), "--steps", "2", "--master", "local[1]"), "--blocks must add blocks");
      String i2v = widened.ref().toString();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DitTrainer.train(config(latents, i2v, false, 2), captions, Storage.local()));
      assertTrue(e.getMessage().contains("--mode i2v"), e.getMessage());
      // train-dit refuses it too, from the manifest on the driver.
      assertEquals(1, Main.run("train-dit", "--data", latents, "--registry", registry, "--init", i2v, "--mode", "t2v",
          "--steps", "2", "--master", "local[1]"));
    }
  }

  @Test
  void generatesAPromptsFileAsASparkJobAndGradesItWithTheCaptioner() throws Exception {
    String ref = DitTrainer.train(config(latents, null, false, 4), captions, Storage.local()).ref().toString();
    Path prompts = dir.resolve("prompts.txt");
    Files.writeString(prompts, "# two prompts of the grammar, one in plain words\n" + captions.get(0) + "\n\n"
        + "The camera pans left. On a blue grid background, a small green star moves up. Glowing style.\n"
        + "A purple elephant juggles oranges\n");
    Path out = dir.resolve("batch");
    String[] batch = {"generate-batch", "--prompts", prompts.toString(), "--out", out.toString(), "--checkpoint", ref,
        "--registry", registry, "--frames", "9", "--steps", "2", "--seed", "5", "--master", "local[2]"};
    assertEquals(0, Main.run(batch));
    List<String> videos;
    try (var files = Files.list(out.resolve("videos"))) {
      // Hadoop's local file system keeps .crc checksums beside what it writes.
      videos = files.map(f -> f.getFileName().toString()).filter(f -> !f.startsWith(".")).sorted().toList();
    }
    assertEquals(List.of("prompt-00000.mp4", "prompt-00000.png", "prompt-00001.mp4", "prompt-00001.png",
        "prompt-00002.mp4", "prompt-00002.png"), videos);
    byte[] first = Files.readAllBytes(out.resolve("videos/prompt-00001.mp4"));
    // A rerun rewrites the same videos (same seeds, same bytes) and replaces the table: nothing is added.
    assertEquals(0, Main.run(batch));
    try (var files = Files.list(out.resolve("videos"))) {
      assertEquals(videos.size(), files.filter(f -> !f.getFileName().toString().startsWith(".")).count());
    }
    assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(out.resolve("videos/prompt-00001.mp4"))));
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      var table = spark.read().parquet(out.resolve("generations").toString()).orderBy("prompt_index").collectAsList();
      assertEquals(3, table.size());
      assertEquals(5L + 2, table.get(2).getLong(table.get(2).fieldIndex("seed")));
      assertTrue(table.stream().allMatch(r -> r.isNullAt(r.fieldIndex("error"))));
      assertTrue(table.stream().allMatch(r -> r.getString(r.fieldIndex("vae")).equals("vae@1")), "the DiT's own VAE");
    } finally {
      spark.stop();
    }
    // Frames the VAE cannot take fail every prompt with its reason, and the job still writes its table.
    Path bad = dir.resolve("batch-bad");
    assertEquals(1, Main.run("generate-batch", "--prompts", prompts.toString(), "--out", bad.toString(), "--checkpoint",
        ref, "--registry", registry, "--frames", "8", "--steps", "2", "--master", "local[2]"));
    assertTrue(Files.isDirectory(bad.resolve("generations")));

    // eval-generation captions the videos with the release captioner and grades the two grammar prompts.
    Path eval = dir.resolve("eval");
    assertEquals(0, Main.run("eval-generation", "--prompts", prompts.toString(), "--out", eval.toString(),
        "--checkpoint", ref, "--registry", registry, "--frames", "9", "--steps", "2", "--captioner-registry",
        Path.of("..", "models").toAbsolutePath().normalize().toString(), "--master", "local[2]"));
    var report = new ObjectMapper().readTree(eval.resolve("_eval.json").toFile());
    assertEquals(3, report.get("generated").asInt());
    assertEquals(2, report.get("graded").asInt());
    assertEquals(1, report.get("outside_grammar").asInt());
    assertTrue(report.get("captioner").asText().startsWith("captioner@"), report.toString());
    assertEquals("vae@1", report.get("vae").asText());
    double colour = report.get("agreement").get("colour_accuracy").asDouble();
    assertTrue(colour >= 0 && colour <= 1, report.toString());
  }

  @Test
  void decodesWithAnotherVaeOnlyWhenItMakesTheSameLatents() throws Exception {
    String ref = DitTrainer.train(config(latents, null, false, 2), captions, Storage.local()).ref().toString();
    Registry models = new Registry(Storage.local(), registry);
    VaeConfig narrow;
    Path tuned = Files.createDirectories(dir.resolve("vae-tuned"));
    Path other = Files.createDirectories(dir.resolve("vae-other"));
    try (Checkpoint v = models.load(ModelRef.parse("vae@1")); VaeModel vae = VaeModel.load(v)) {
      narrow = vae.config();
      // Its decoder's last convolution halved, its encoder untouched: what train-vae --decoder-only leaves.
      var params = vae.djlModel().getBlock().getParameters();
      String last = params.keys().stream().filter(k -> k.startsWith("02decoder") && k.endsWith("_weight"))
          .reduce((x, y) -> y).orElseThrow();
      ying.core.djl.Weights.replace(params.get(last), params.get(last).getArray().mul(0.5f));
      vae.save(tuned);
    }
    try (VaeModel fresh = VaeModel.create(narrow, 9)) {
      fresh.save(other);
    }
    for (var vae : List.of(Map.entry("vae-tuned", tuned), Map.entry("vae-other", other))) {
      models.publish(vae.getValue(), new Registry.Publication(vae.getKey(), "vae@1", "none", "none",
          Map.of("latent_std", 0.5), narrow.toJson(new ObjectMapper()), Map.of()));
    }
    Path named = dir.resolve("named.mp4");
    Path decoded = dir.resolve("tuned.mp4");
    String[] generate = {"generate", "--prompt", captions.get(0), "--checkpoint", ref, "--registry", registry,
        "--frames", "9", "--steps", "2", "--seed", "3", "--out"};
    assertEquals(0, Main.run(concat(generate, named.toString())));
    assertEquals(0, Main.run(concat(generate, decoded.toString(), "--vae", "vae-tuned")));
    assertTrue(!java.util.Arrays.equals(Files.readAllBytes(named), Files.readAllBytes(decoded)),
        "the other decoder drew the same latents differently");
    assertEquals(1, Main.run(concat(generate, dir.resolve("other.mp4").toString(), "--vae", "vae-other")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ying.inference.generate.Generator.load(models, ModelRef.parse(ref), ModelRef.parse("vae-other")));
    assertTrue(e.getMessage().contains("vae-other@1 does not make the latents of vae@1"), e.getMessage());
    try (var g = ying.inference.generate.Generator.load(models, ModelRef.parse(ref), ModelRef.parse("vae-tuned"))) {
      assertEquals("vae-tuned@1", g.vaeRef().toString());
    }

    // The batch job records which VAE decoded, and refuses a misfit before any prompt is sampled.
    Path prompts = dir.resolve("one-prompt.txt");
    Files.writeString(prompts, captions.get(0) + "\n");
    Path out = dir.resolve("batch-tuned");
    assertEquals(0, Main.run("generate-batch", "--prompts", prompts.toString(), "--out", out.toString(), "--checkpoint",
        ref, "--registry", registry, "--vae", "vae-tuned", "--frames", "9", "--steps", "2", "--master", "local[1]"));
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      var row = spark.read().parquet(out.resolve("generations").toString()).first();
      assertEquals("vae-tuned@1", row.getString(row.fieldIndex("vae")));
    } finally {
      spark.stop();
    }
    Path refused = dir.resolve("batch-other");
    assertEquals(1, Main.run("generate-batch", "--prompts", prompts.toString(), "--out", refused.toString(),
        "--checkpoint", ref, "--registry", registry, "--vae", "vae-other", "--frames", "9", "--steps", "2", "--master",
        "local[1]"));
    assertTrue(!Files.exists(refused.resolve("generations")), "nothing generated");
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  @Test
  void imageToVideoTrainsOnTheFirstFramesLatents() throws Exception {
    DitTrainingConfig i2v = config(latents, null, true, 6);
    DitTrainingConfig cfg = new DitTrainingConfig(i2v.data(), i2v.registry(), i2v.vae(), null, TINY, "dit", true, 6,
        i2v.batch(), i2v.learningRate(), i2v.warmupSteps(),
        new DitObjective(i2v.objective().captionDropout(), 0.5f, 0f, 0f, 1f), i2v.seed(), i2v.logEvery(),
        i2v.valEvery(), 0, "test");
    DitTrainer.Result r = DitTrainer.train(cfg, captions, Storage.local());
    try (Checkpoint ckpt = new Registry(Storage.local(), registry).load(r.ref());
        DitModel model = DitModel.load(ckpt)) {
      assertTrue(model.config().imageToVideo());
      assertEquals(32, model.config().inputChannels());
      assertEquals(0.5, ckpt.manifest().path("image_dropout").asDouble(), 1e-6, "the manifest says how it was trained");
      assertTrue(ckpt.manifest().path("direction_contrast").isMissingNode(), "no hinge, no entry");
      assertTrue(model.samplesFromTextAlone(), "trained with its first frame hidden at times, it can go without one");
    }
    // generate takes it with a first frame and, its condition zeroed as in training, without one.
    String joint = r.ref().toString();
    Path image = dir.resolve("first.png");
    java.awt.image.BufferedImage frame = new java.awt.image.BufferedImage(96, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
    frame.setRGB(10, 10, 0xff3366);
    javax.imageio.ImageIO.write(frame, "png", image.toFile());
    Path withFrame = dir.resolve("joint-i2v.mp4");
    Path textAlone = dir.resolve("joint-t2v.mp4");
    assertEquals(0, Main.run("generate", "--prompt", captions.get(0), "--out", withFrame.toString(), "--checkpoint", joint,
        "--registry", registry, "--image", image.toString(), "--frames", "9", "--steps", "2", "--seed", "3"));
    assertEquals(0, Main.run("generate", "--prompt", captions.get(0), "--out", textAlone.toString(), "--checkpoint", joint,
        "--registry", registry, "--frames", "9", "--steps", "2", "--seed", "3"));
    assertTrue(!java.util.Arrays.equals(Files.readAllBytes(withFrame), Files.readAllBytes(textAlone)),
        "the first frame (or its absence) reaches the samples");

    // train-dit from it, without --mode or --image-dropout, keeps both: the fine-tune still goes from text alone.
    assertEquals(0, Main.run("train-dit", "--data", latents, "--registry", registry, "--init", joint, "--steps", "2",
        "--batch", "2", "--samples", "0", "--master", "local[1]"));
    try (Checkpoint tuned = new Registry(Storage.local(), registry).load(ModelRef.parse("dit"))) {
      assertEquals(joint, tuned.manifest().get("parent").asText());
      assertEquals("i2v", tuned.manifest().get("mode").asText());
      assertEquals(0.5, tuned.manifest().path("image_dropout").asDouble(), 1e-6, "the init's dropout, kept");
    }
    // One trained with every first frame shown is refused without one: by generate with the reason, by the
    // batch job before any task starts.
    String plain = DitTrainer.train(config(latents, null, true, 2), captions, Storage.local()).ref().toString();
    try (ying.inference.generate.Generator g = ying.inference.generate.Generator.load(
        new Registry(Storage.local(), registry), ModelRef.parse(plain))) {
      assertTrue(!g.dit().samplesFromTextAlone());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ying.inference.generate.Generation
          .run(g.dit(), g.vae(), new ying.inference.generate.Generation.Request(captions.get(0), null, 9, 64, 96, 2, 6f,
              1, "ddim"), step -> { }));
      assertTrue(e.getMessage().contains("pass --image"), e.getMessage());
    }
    Path prompts = dir.resolve("plain-prompts.txt");
    Files.writeString(prompts, captions.get(0) + "\n");
    Path batch = dir.resolve("plain-batch");
    assertEquals(1, Main.run("generate-batch", "--prompts", prompts.toString(), "--out", batch.toString(), "--checkpoint",
        plain, "--registry", registry, "--frames", "9", "--steps", "2", "--master", "local[1]"));
    assertTrue(!Files.exists(batch.resolve("generations")), "refused before any work");
  }

  @Test
  void imageDropoutHidesTheFirstFrameFromTheNetwork() throws Exception {
    ying.core.text.Tokenizer tokenizer = ying.core.text.Tokenizer.build(captions);
    DatasetBatch batch = new ShardReader(Storage.local(), latents, DatasetLayout.TRAIN, null, 2, -1, 1).iterator().next();
    try (DitModel model = DitModel.create(TINY.forData(tokenizer.size(), 2f, true), tokenizer, 1)) {
      int in = model.config().inputChannels();
      int latent = model.config().latentChannels();
      for (float dropout : new float[] {0f, 0.99999f}) {
        try (ai.djl.training.Trainer trainer = model.djlModel().newTrainer(
                DitTrainer.trainingConfig(ai.djl.training.tracker.Tracker.fixed(1e-3f)));
            ai.djl.ndarray.NDManager scope = model.djlModel().getNDManager().newSubManager()) {
          java.util.Random rng = new java.util.Random(3);
          for (int step = 0; step < 3; step++) {
            // The output projection starts at zero and passes no gradient back: one step opens it.
            if (step > 0) {
              trainer.step();
            }
            DitTrainer.backward(trainer, model, batch, ying.inference.dit.NoiseSchedule.defaults(), rng,
                new DitObjective(0f, dropout, 0f, 0f, 1f), scope);
          }
          // The patch embedding's input holds each cell's channels innermost: latents, then the condition.
          ai.djl.nn.Parameter embed = model.djlModel().getBlock().getParameters().stream()
              .filter(p -> p.getKey().endsWith("patch_embed_weight")).findFirst().orElseThrow().getValue();
          float[] g = embed.getArray().getGradient().abs().sum(new int[] {0}).toFloatArray();
          double data = 0;
          double condition = 0;
          for (int k = 0; k < g.length; k++) {
            if (k % in < latent) {
              data += g[k];
            } else {
              condition += g[k];
            }
          }
          assertTrue(data > 0, "dropout " + dropout);
          if (dropout == 0f) {
            assertTrue(condition > 0, "the first frame reaches the network");
          } else {
            assertEquals(0, condition, 0, "a zeroed condition reaches nothing");
          }
        }
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DitTrainingConfig(latents,
        registry, "vae", null, TINY, "dit", false, 2, 2, 2e-3f, 5, new DitObjective(0.1f, 0.5f, 0f, 0f, 1f), 1, 2, 20, 0, "test"));
    assertTrue(e.getMessage().contains("image-to-video"), e.getMessage());
    // train-dit hands --image-dropout to the same check, before Spark starts.
    assertEquals(1, Main.run("train-dit", "--data", latents, "--registry", registry, "--mode", "t2v", "--image-dropout",
        "0.5", "--steps", "2"));
  }

  @Test
  void theWordHingeCostsItsMarginWhereTheCaptionIsIgnoredAndSkipsCaptionsWithoutTheWord() throws Exception {
    ying.core.text.Tokenizer tokenizer = ying.core.text.Tokenizer.build(
        List.of("The camera pans left.", "The camera pans right.", "The camera zooms in."));
    // A new DiT's output projection starts at zero: its v is the same whatever the caption says.
    try (DitModel model = DitModel.create(TINY.forData(tokenizer.size(), 1f, false), tokenizer, 1);
        ai.djl.ndarray.NDManager scope = model.djlModel().getNDManager().newSubManager()) {
      ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(scope, false);
      ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(2, 16, 2, 4, 4);
      ai.djl.ndarray.NDArray input = ying.inference.dit.DdimSampler.noise(scope, shape, 1);
      ai.djl.ndarray.NDArray target = ying.inference.dit.DdimSampler.noise(scope, shape, 2);
      float[] steps = {500, 500};
      java.util.Random rng = new java.util.Random(1);
      java.util.function.BiFunction<List<String>, java.util.function.UnaryOperator<String>, ai.djl.ndarray.NDArray> turned =
          (captions, lie) -> {
            ai.djl.ndarray.NDArray v = model.velocity(ps, input, scope.create(steps), model.captions(scope, captions),
                false);
            ai.djl.ndarray.NDArray perClip = v.sub(target).square().reshape(2, -1).mean(new int[] {1});
            return DitTrainer.wordHinge(model, captions, input, steps, target, perClip, lie, false, ps);
          };
      java.util.function.Function<List<String>, ai.djl.ndarray.NDArray> hinge =
          captions -> turned.apply(captions, c -> ying.core.synth.Directions.turnEither(c, rng));
      java.util.List<String> panAndDropped = new java.util.ArrayList<>(java.util.Arrays.asList("The camera pans left.",
          null));
      assertEquals(DitTrainer.WORD_MARGIN, hinge.apply(panAndDropped).getFloat(), 1e-6f);
      java.util.List<String> noDirection = new java.util.ArrayList<>(java.util.Arrays.asList("The camera zooms in.",
          null));
      assertEquals(null, hinge.apply(noDirection), "a zoom has no direction to turn; a dropped caption none at all");
      // The same hinge on the objects' shapes: a caption without an object has none to change.
      List<String> heart = List.of("On a blue grid background, a small red heart moves left.", "The camera zooms in.");
      assertEquals(DitTrainer.WORD_MARGIN, turned.apply(heart, ying.core.synth.ObjectWords::turnShapes).getFloat(), 1e-6f);
      assertEquals(null, turned.apply(noDirection, ying.core.synth.ObjectWords::turnShapes));
    }
  }

  @Test
  void aDatasetWithoutLatentsIsEncodedOnTheFlyAsBuildDatasetWouldHaveEncodedIt() throws Exception {
    Map<String, float[]> written = new java.util.HashMap<>();
    for (DatasetBatch b : new ShardReader(Storage.local(), latents, DatasetLayout.TRAIN, null, 1, -1, 1)) {
      written.put(b.clipIds().get(0), VaeLatents.halfToFloats(b.latents()));
    }
    int compared = 0;
    try (Checkpoint v = new Registry(Storage.local(), registry).load(ModelRef.parse("vae"));
        VaeModel vae = VaeModel.load(v)) {
      for (DatasetBatch b : new ShardReader(Storage.local(), pixelsOnly, DatasetLayout.TRAIN, null, 2, -1, 1)) {
        DatasetBatch e = DitTrainer.encoded(b, vae);
        float[] all = VaeLatents.halfToFloats(e.latents());
        int per = all.length / b.size();
        for (int i = 0; i < b.size(); i++) {
          float[] expected = written.get(b.clipIds().get(i));
          assertEquals(expected.length, per);
          for (int k = 0; k < per; k++) {
            // Two clips encoded together against one at a time: float16 rounding apart, no more.
            assertEquals(expected[k], all[i * per + k], 2e-3 + 2e-3 * Math.abs(expected[k]), b.clipIds().get(i));
          }
          compared++;
        }
      }
    }
    assertEquals(written.size(), compared, "every clip of the pixel shards has its latents in the --vae build");
    DitTrainer.Result r = DitTrainer.train(config(pixelsOnly, null, false, 3), captions, Storage.local());
    try (Checkpoint ckpt = new Registry(Storage.local(), registry).load(r.ref())) {
      assertEquals("encoded on the fly from the shards' frames", ckpt.manifest().get("latents").asText());
      assertEquals("vae@1", ckpt.manifest().get("vae").asText());
    }
  }

  private static double mean(List<String> rows) {
    return rows.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[1])).average().orElseThrow();
  }
}
