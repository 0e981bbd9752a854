package ying.trainer.vae;

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
import ying.inference.vae.VaeConfig;
import ying.trainer.SparkTraining;

/** {@code ying train-vae}: trains the 3D causal VAE on dataset clips and publishes it. */
@Command(name = "train-vae", mixinStandardHelpOptions = true,
    description = {"Train the 3D causal VAE on a built dataset (train split; random windows of its clips), score",
        "whole val clips (PSNR, SSIM, flicker), and publish a checkpoint (weights, training log and plots, manifest).",
        "Runs as a Spark application; this version trains inside one task."})
public final class TrainVaeCommand implements YingCommand {
  @Option(names = "--data", required = true, paramLabel = "URI", description = "A dataset from build-dataset.")
  String data;

  @Option(names = "--registry", paramLabel = "URI", description = "Checkpoint registry. Default: models/ of this checkout.")
  String registry;

  @Option(names = "--init", paramLabel = "REF", description = "Fine-tune from this checkpoint (NAME[@VERSION]).")
  String init;

  @Option(names = "--name", defaultValue = "vae", description = "Model name in the registry. Default: ${DEFAULT-VALUE}.")
  String name;

  @Option(names = "--steps", defaultValue = "3000", description = "Optimizer steps. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = "--batch", defaultValue = "2", description = "Windows per step. Default: ${DEFAULT-VALUE}.")
  int batch;

  // Whole 49-frame clips in time: the causal receptive field spans some 68 frames, and a VAE trained
  // on 9-frame windows only ever saw zero padding past the 9th, so later frames of a clip fell apart.
  @Option(names = "--crop", defaultValue = "49x32x32", paramLabel = "FxHxW",
      description = {"Training window: frames (1+4k) x height x width (multiples of 8), cut at random from each clip",
          "(clips shorter or smaller are skipped). Default: ${DEFAULT-VALUE}."})
  String crop;

  @Option(names = "--lr", defaultValue = "0.0005", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
  float learningRate;

  @Option(names = "--warmup", defaultValue = "100", description = "Warm-up steps. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--kl-weight", defaultValue = "0.0001",
      description = "Weight of the KL term per latent value. Default: ${DEFAULT-VALUE}.")
  float klWeight;

  @Option(names = "--object-weight", defaultValue = "0", paramLabel = "W",
      description = {"Weigh each pixel of a synthetic object's colour 1+W times in the L1 loss (objects fill a",
          "tenth of the synthetic world's frames, yet their outlines are what captions name). Default: ${DEFAULT-VALUE}."})
  float objectWeight;

  @Option(names = "--object-margin", defaultValue = "0", paramLabel = "PX",
      description = {"With --object-weight, also weigh the pixels within PX of an object's, so colour bled past an",
          "outline costs what colour missing inside it costs. Default: ${DEFAULT-VALUE}."})
  int objectMargin;

  @Option(names = "--decoder-only",
      description = {"Train the decoder alone (needs --init): the encoder, so every latent a dataset or a DiT",
          "already holds, stays as it is, and the new VAE decodes those latents."})
  boolean decoderOnly;

  @Option(names = "--seed", defaultValue = "0",
      description = "Initial weights, shuffling and crops. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--eval-clips", defaultValue = "32", description = "Whole val clips to score. Default: ${DEFAULT-VALUE}.")
  int evalClips;

  @Option(names = "--val-every", defaultValue = "250",
      description = "Steps between val PSNR measurements (a multiple of 10). Default: ${DEFAULT-VALUE}.")
  int valEvery;

  @Option(names = "--channels", paramLabel = "N",
      description = {"Width of a new VAE: N channels at full resolution, then 2N, 4N and 8N down the levels.",
          "Default: 16; an --init model keeps its own."})
  Integer channels;

  @Option(names = "--res-blocks", paramLabel = "N",
      description = "Residual blocks per level of a new VAE. Default: 1; an --init model keeps its own.")
  Integer resBlocks;

  @Mixin SparkOptions spark;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    int[] window = parseCrop(crop);
    if (decoderOnly && init == null) {
      throw new IllegalArgumentException("--decoder-only trains the decoder of an existing VAE: name it with --init");
    }
    VaeTrainingConfig cfg = new VaeTrainingConfig(Storage.normalise(data),
        registry == null ? Registry.defaultRoot() : registry, init, architecture(channels, resBlocks), name, steps,
        batch, window[0], window[1], window[2], learningRate, warmup, klWeight, objectWeight, objectMargin,
        decoderOnly, seed, evalClips, 10, valEvery,
        "ying " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    System.err.println("ying train-vae: " + cfg);
    try (SparkSession session = Sessions.start("ying-train-vae", spark.master, spark.conf)) {
      Sessions.warnIfDefaultRegistry(session, "train-vae", registry);
      String result = SparkTraining.inOneTask(session, storage -> {
        VaeTrainer.Result r = VaeTrainer.train(cfg, storage);
        return r.ref() + " " + r.metrics();
      });
      System.out.println("published " + result);
      return 0;
    }
  }

  /** The defaults widened by --channels and deepened by --res-blocks; null when neither is given. */
  public static VaeConfig architecture(Integer channels, Integer resBlocks) {
    if (channels == null && resBlocks == null) {
      return null;
    }
    VaeConfig d = VaeConfig.defaults();
    int c = channels == null ? d.baseChannels() : channels;
    int b = resBlocks == null ? d.resBlocksPerLevel() : resBlocks;
    if (c < 8 || b < 1) {
      throw new IllegalArgumentException("--channels must be at least 8 and --res-blocks at least 1, got " + c + " and "
          + b);
    }
    return new VaeConfig(d.imageChannels(), d.latentChannels(), c, List.of(2 * c, 4 * c, 8 * c), d.temporalDownsample(),
        b, d.kernel(), d.groups(), d.normEps(), d.logVarMin(), d.logVarMax());
  }

  /** {@code FxHxW} to {@code [frames, height, width]}. */
  static int[] parseCrop(String text) {
    String[] parts = text.trim().split("x");
    if (parts.length != 3) {
      throw new IllegalArgumentException("--crop wants FRAMESxHEIGHTxWIDTH such as 9x32x32, got '" + text + "'");
    }
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--crop wants FRAMESxHEIGHTxWIDTH such as 9x32x32, got '" + text + "'");
    }
  }
}
