package ying.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.captioner.model.CaptionWindow;
import ying.captioner.model.CaptionerConfig;
import ying.captioner.model.CaptionerModel;
import ying.core.dataset.Bucket;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.text.Tokenizer;
import ying.trainer.Publishing;
import ying.trainer.captioner.CaptionerTrainer;
import ying.trainer.captioner.CaptionerTrainingConfig;

/**
 * Publishes what {@link TrainCaptionerRaw} trained on another machine: captions the val clips of the
 * dataset its clips were exported from, exactly as train-captioner scores its own runs, and publishes
 * it with that run's command, settings, log and device in the manifest.
 */
@Command(name = "publish-captioner", mixinStandardHelpOptions = true,
    description = "Score and publish a captioner that TrainCaptionerRaw trained elsewhere (its --out folder).")
public final class PublishCaptioner implements Callable<Integer> {
  @Option(names = "--weights", required = true, description = "TrainCaptionerRaw's --out folder.")
  Path weights;

  @Option(names = "--data", description = "Dataset to score on (default: the one its clips came from).")
  String data;

  @Option(names = "--registry", description = "Registry (default: models/ of this checkout).")
  String registry;

  @Option(names = "--name", defaultValue = "captioner", description = "Model name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--eval-clips", defaultValue = "200", description = "Val clips to caption (default: ${DEFAULT-VALUE}).")
  int evalClips;

  @Option(names = "--machine", description = "What the run's device was, for the manifest (e.g. the GPU's name).")
  String machine;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PublishCaptioner()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    JsonNode run = RawRun.JSON.readTree(weights.resolve("run.json").toFile());
    CaptionerConfig config = CaptionerConfig.fromJson(RawRun.JSON.readTree(weights.resolve("config.json").toFile()));
    Tokenizer tokenizer = Tokenizer.load(weights.resolve(CaptionerModel.TOKENIZER_FILE));
    String dataset = Storage.normalise(data != null ? data : run.path("clips").path("dataset").asText());
    CaptionerTrainingConfig cfg = new CaptionerTrainingConfig(dataset,
        registry == null ? Registry.defaultRoot() : registry, null, name, run.path("steps").asInt(),
        run.path("batch").asInt(), (float) run.path("learning_rate").asDouble(), run.path("warmup").asInt(),
        run.path("seed").asLong(), evalClips, 10, 250, run.path("mirror").asBoolean(),
        run.path("keep_last").asBoolean(), RawRun.command(run));
    Map<String, Object> facts = RawRun.publishFacts(run, machine, PublishCaptioner.class,
        spec.commandLine().getParseResult().originalArgs());
    // Rendered clips have the raw clips' shape and rate, so the file's bucket is every training clip's span.
    facts.put(CaptionWindow.MANIFEST_KEY, Bucket.parse(run.path("clips").path("bucket").asText()).seconds());
    CaptionerTrainer.Fit fit = new CaptionerTrainer.Fit(Publishing.readLossLog(weights.resolve("training_log.csv")),
        run.path("published_step").asInt());
    try (CaptionerModel model = CaptionerModel.load(weights, config, tokenizer)) {
      CaptionerTrainer.Result r = CaptionerTrainer.evaluateAndPublish(model, cfg, Storage.local(),
          run.path("init_ref").asText(null), fit, facts);
      System.out.println("published " + r.ref() + " " + r.metrics());
    }
    return 0;
  }
}
