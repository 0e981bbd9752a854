package ying.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.text.Tokenizer;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.inference.vae.VaeModel;
import ying.trainer.Publishing;
import ying.trainer.dit.DitObjective;
import ying.trainer.dit.DitTrainer;
import ying.trainer.dit.DitTrainingConfig;

/**
 * Publishes what {@link TrainDitRaw} trained on another machine: with the val losses it measured on
 * the dataset's first val clips (as train-dit measures its own), samples of the dataset's val
 * captions, and that run's command, settings, log and device in the manifest; the VAE it names is
 * the one whose latents it learned. {@code --step} publishes one of the run's {@code --snapshots}
 * instead of its end, with the manifest cut to match.
 */
@Command(name = "publish-dit", mixinStandardHelpOptions = true,
    description = "Publish a DiT that TrainDitRaw trained elsewhere (its --out folder).")
public final class PublishDit implements Callable<Integer> {
  @Option(names = "--weights", required = true, description = "TrainDitRaw's --out folder.")
  Path weights;

  @Option(names = "--registry", description = "Registry (default: models/ of this checkout).")
  String registry;

  @Option(names = "--name", defaultValue = "dit", description = "Model name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--samples", defaultValue = "2", description = "Val captions sampled into the checkpoint (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--machine", description = "What the run's device was, for the manifest (e.g. the GPU's name).")
  String machine;

  @Option(names = "--step", paramLabel = "N", description = {"Publish the weights the run's --snapshots kept at step N",
      "(WEIGHTS/step-NNNNN/) instead of its end: the manifest's steps, log, losses and training seconds stop at N,",
      "and a fact says it is a snapshot of a longer run."})
  Integer step;

  @Option(names = "--vae", paramLabel = "REF", description = {"Name this VAE of the registry instead of the one whose",
      "latents the run learnt: it must make the same latents (train-vae --decoder-only of that VAE), and it decodes",
      "the checkpoint's samples and every video generated with it; the manifest's latents_of keeps the run's own."})
  String vae;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PublishDit()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path runJson = weights.resolve("run.json");
    if (!Files.isRegularFile(runJson)) {
      throw new IllegalArgumentException(weights + " has no run.json: TrainDitRaw writes it when a run ends, so this run"
          + " did not finish (or this is not its --out folder)");
    }
    JsonNode run = RawRun.JSON.readTree(runJson.toFile());
    List<double[]> log = Publishing.readLossLog(weights.resolve("training_log.csv"));
    Path source = weights;
    int steps = run.path("steps").asInt();
    if (step != null) {
      source = snapshot(steps);
      log = logTo(log, step);
      steps = step;
    }
    DitConfig config = DitConfig.fromJson(RawRun.JSON.readTree(source.resolve("config.json").toFile()));
    String learnt = run.path("vae").asText(null);
    if (learnt == null || learnt.isEmpty()) {
      throw new IllegalArgumentException(weights + "/run.json names no VAE: its latent file had no ExportClips"
          + " provenance beside it");
    }
    String root = registry == null ? Registry.defaultRoot() : registry;
    String decoder = vae == null ? learnt : sameLatents(new Registry(Storage.local(), root), learnt, vae);
    String dataset = Storage.normalise(run.path("clips").path("dataset").asText());
    DitTrainingConfig cfg = new DitTrainingConfig(dataset, root, decoder,
        run.path("init").asText(null), null, name, config.imageToVideo(), steps,
        run.path("batch").asInt(), (float) run.path("learning_rate").asDouble(), run.path("warmup").asInt(),
        new DitObjective((float) run.path("caption_dropout").asDouble(), (float) run.path("image_dropout").asDouble(0),
            (float) run.path("direction_contrast").asDouble(0), (float) run.path("shape_contrast").asDouble(0),
            (float) run.path("noise_tilt").asDouble(1), (float) run.path("object_weight").asDouble(0)),
        run.path("seed").asLong(), 10, 250, samples,
        RawRun.command(run));
    Map<String, Object> facts = RawRun.publishFacts(run, machine, PublishDit.class,
        spec.commandLine().getParseResult().originalArgs());
    if (vae != null) {
      facts.put("latents_of", learnt);
    }
    for (String grown : new String[] {"widened", "deepened"}) {
      if (run.has(grown)) {
        facts.put(grown, run.path(grown).asText());
      }
    }
    if (step != null) {
      double[] at = log.get(log.size() - 1);
      int planned = run.path("steps").asInt();
      // The run's own seconds and command cover all its steps; the log says when this step was reached.
      facts.put("training_seconds", Math.round(at[3]));
      facts.put("snapshot", String.format(Locale.ROOT, "the weights at step %d of a %d-step run (its %s): the learning"
          + " rate followed that run's warm-up and cosine decay to step %d, and was %.3g here", step, planned,
          weights.getFileName().resolve(TrainDitRaw.snapshotName(step)), planned, at[2]));
    }
    try (DitModel model = DitModel.load(source, config, Tokenizer.load(source.resolve(DitModel.TOKENIZER_FILE)))) {
      DitTrainer.Result r = DitTrainer.publishTrained(model, cfg, run.path("init_ref").asText(null), log, facts,
          Storage.local());
      System.out.println("published " + r.ref() + " " + r.metrics());
    }
    return 0;
  }

  /** {@code other}'s exact ref, once it is known to make the latents of {@code learnt}; a clear refusal if not. */
  private String sameLatents(Registry registry, String learnt, String other) throws IOException {
    try (VaeModel checked = VaeModel.loadMakingLatentsOf(registry, ModelRef.parse(learnt), ModelRef.parse(other),
        "the run in " + weights)) {
      return registry.resolve(ModelRef.parse(other)).toString();
    }
  }

  /** The folder TrainDitRaw --snapshots wrote at {@code step}, or a clear refusal naming the ones there are. */
  private Path snapshot(int planned) throws IOException {
    Path dir = weights.resolve(TrainDitRaw.snapshotName(step));
    if (Files.isRegularFile(dir.resolve(DitModel.PARAMS_FILE))) {
      return dir;
    }
    List<String> kept;
    try (Stream<Path> s = Files.list(weights)) {
      kept = s.map(p -> p.getFileName().toString()).filter(f -> f.matches("step-\\d{5}")).sorted().toList();
    }
    throw new IllegalArgumentException(weights + " has no snapshot of step " + step + " ("
        + (kept.isEmpty() ? "it has none: the run went without --snapshots" : "it has " + String.join(", ", kept))
        + "); the run's end, step " + planned + ", is published without --step");
  }

  /** The log's rows up to {@code step}, which must end with the val loss measured there (as each snapshot's does). */
  static List<double[]> logTo(List<double[]> log, int step) {
    List<double[]> cut = log.stream().filter(r -> r[0] <= step).toList();
    if (cut.isEmpty() || cut.get(cut.size() - 1)[0] != step || Double.isNaN(cut.get(cut.size() - 1)[4])) {
      throw new IllegalArgumentException("the run's training_log.csv has no val loss at step " + step
          + ", where its snapshot should have been measured");
    }
    return cut;
  }
}
