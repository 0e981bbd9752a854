package ying.trainer.captioner;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.core.cli.SparkOptions;
import ying.core.cli.YingCommand;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.spark.Sessions;
import ying.trainer.SparkTraining;

/** {@code ying train-captioner}: trains the video captioner on dataset shards and publishes it. */
@Command(name = "train-captioner", mixinStandardHelpOptions = true,
    description = {"Train the captioner on a built dataset (train split), score it on the val split, and publish",
        "a checkpoint (weights, tokenizer, training log and loss plot, manifest) to the registry.",
        "Runs as a Spark application; this version trains inside one task."})
public final class TrainCaptionerCommand implements YingCommand {
  @Option(names = "--data", required = true, paramLabel = "URI", description = "A dataset from build-dataset.")
  String data;

  @Option(names = "--registry", paramLabel = "URI", description = "Checkpoint registry. Default: models/ of this checkout.")
  String registry;

  @Option(names = "--init", paramLabel = "REF", description = "Fine-tune from this checkpoint (NAME[@VERSION]).")
  String init;

  @Option(names = "--name", defaultValue = "captioner", description = "Model name in the registry. Default: ${DEFAULT-VALUE}.")
  String name;

  @Option(names = "--steps", defaultValue = "2000", description = "Optimizer steps. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = "--batch", defaultValue = "16", description = "Clips per step. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--lr", defaultValue = "0.0003", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
  float learningRate;

  @Option(names = "--warmup", defaultValue = "100", description = "Warm-up steps. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--seed", defaultValue = "0", description = "Shuffling and augmentation seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--eval-clips", defaultValue = "200", description = "Val clips to score. Default: ${DEFAULT-VALUE}.")
  int evalClips;

  @Option(names = "--val-every", defaultValue = "250",
      description = "Steps between val-loss measurements (a multiple of 10). Default: ${DEFAULT-VALUE}.")
  int valEvery;

  @Option(names = "--mirror", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Train on left-right mirror images of half the clips, with captions to match (pans, travel and "
          + "the left-to-right object order swap sides); only captions in the synthetic world's grammar are "
          + "mirrored. On by default; --no-mirror turns it off.")
  boolean mirror;

  @Option(names = "--keep-last", description = {"Publish the last step's weights instead of those with the lowest val",
      "loss: a dip in the middle of the run, at a high learning rate, can be noise on a small val split."})
  boolean keepLast;

  @Mixin SparkOptions spark;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CaptionerTrainingConfig cfg = new CaptionerTrainingConfig(Storage.normalise(data),
        registry == null ? Registry.defaultRoot() : registry, init, name, steps, batch, learningRate, warmup, seed,
        evalClips, 10, valEvery, mirror, keepLast, "ying " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    System.err.println("ying train-captioner: " + cfg);
    try (SparkSession session = Sessions.start("ying-train-captioner", spark.master, spark.conf)) {
      Sessions.warnIfDefaultRegistry(session, "train-captioner", registry);
      List<String> captions = SparkTraining.trainCaptions(session, cfg.data());
      String result = SparkTraining.inOneTask(session, storage -> {
        CaptionerTrainer.Result r = CaptionerTrainer.train(cfg, captions, storage);
        return r.ref() + " " + r.metrics();
      });
      System.out.println("published " + result);
      return 0;
    }
  }
}
