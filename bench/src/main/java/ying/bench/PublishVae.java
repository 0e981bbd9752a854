package ying.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.trainer.Batches;
import ying.trainer.vae.VaeTrainer;
import ying.trainer.vae.VaeTrainingConfig;

/**
 * Publishes what {@link TrainVaeRaw} trained on another machine: scores it on the eval split of the
 * dataset its clips were exported from, exactly as train-vae scores its own runs, and publishes it
 * with that run's command, settings, log and device in the manifest.
 */
@Command(name = "publish-vae", mixinStandardHelpOptions = true,
    description = "Score and publish a VAE that TrainVaeRaw trained elsewhere (its --out folder).")
public final class PublishVae implements Callable<Integer> {
  @Option(names = "--weights", required = true, description = "TrainVaeRaw's --out folder.")
  Path weights;

  @Option(names = "--data", description = "Dataset to score on (default: the one its clips came from).")
  String data;

  @Option(names = "--registry", description = "Registry (default: models/ of this checkout).")
  String registry;

  @Option(names = "--name", defaultValue = "vae", description = "Model name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--parent", description = {"The checkpoint its --init folder held, if any (NAME@VERSION); default:",
      "the one run.json names when --init was a checkpoint folder."})
  String parent;

  @Option(names = "--eval-clips", defaultValue = "32", description = "Clips to score (default: ${DEFAULT-VALUE}).")
  int evalClips;

  @Option(names = "--machine", description = "What the run's device was, for the manifest (e.g. the GPU's name).")
  String machine;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PublishVae()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    JsonNode run = RawRun.JSON.readTree(weights.resolve("run.json").toFile());
    VaeConfig config = VaeConfig.fromJson(RawRun.JSON.readTree(weights.resolve("config.json").toFile()));
    if (parent == null) {
      parent = run.path("init_ref").asText(null);
    }
    if (!run.path("init").isNull() && parent == null) {
      throw new IllegalArgumentException("the run started from " + run.path("init").asText()
          + ", a folder without a manifest: name the checkpoint it held with --parent");
    }
    String dataset = Storage.normalise(data != null ? data : run.path("clips").path("dataset").asText());
    String[] crop = run.path("crop").asText().split("x");
    VaeTrainingConfig cfg = new VaeTrainingConfig(dataset, registry == null ? Registry.defaultRoot() : registry,
        null, config, name, run.path("steps").asInt(), run.path("batch").asInt(), Integer.parseInt(crop[0]),
        Integer.parseInt(crop[1]), Integer.parseInt(crop[2]), (float) run.path("learning_rate").asDouble(),
        run.path("warmup").asInt(), (float) run.path("kl_weight").asDouble(),
        (float) run.path("object_weight").asDouble(0), run.path("object_margin").asInt(0),
        run.path("decoder_only").asBoolean(false),
        run.path("seed").asLong(), evalClips,
        10, 250, RawRun.command(run));
    Map<String, Object> facts = RawRun.publishFacts(run, machine, PublishVae.class,
        spec.commandLine().getParseResult().originalArgs());
    Storage storage = Storage.local();
    try (VaeModel model = VaeModel.load(weights, config)) {
      String split = Batches.evalSplit(storage, dataset);
      VaeTrainer.Result r = VaeTrainer.evaluateAndPublish(model, cfg, storage, split, parent,
          VaeTrainer.readLog(weights.resolve("training_log.csv")), facts);
      System.out.println("published " + r.ref() + " " + r.metrics());
    }
    return 0;
  }
}
