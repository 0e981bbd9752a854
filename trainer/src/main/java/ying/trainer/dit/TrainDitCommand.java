package ying.trainer.dit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.core.cli.SparkOptions;
import ying.core.cli.YingCommand;
import ying.core.io.Storage;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.spark.Sessions;
import ying.inference.dit.DitConfig;
import ying.trainer.SparkTraining;

/** {@code ying train-dit}: trains the expert DiT on a dataset's VAE latents and publishes it. */
@Command(name = "train-dit", mixinStandardHelpOptions = true,
    description = {"Train the expert DiT (text-to-video or image-to-video) on a dataset built with",
        "`build-dataset --vae REF` (or on any dataset, encoding its frames with --vae every step: slower), track a",
        "val loss, and publish a checkpoint (weights, tokenizer, training log and plot, manifest naming the VAE).",
        "Runs as a Spark application; this version trains inside one task."})
public final class TrainDitCommand implements YingCommand {
  @Option(names = "--data", required = true, paramLabel = "URI",
      description = "A dataset built with --vae (or without: its frames are encoded on the fly).")
  String data;

  @Option(names = "--vae", defaultValue = "vae", paramLabel = "REF",
      description = "The VAE the DiT works in: the dataset's latents are its, or its frames are encoded with it. "
          + "Default: ${DEFAULT-VALUE} (the latest).")
  String vae;

  @Option(names = "--registry", paramLabel = "URI", description = "Checkpoint registry. Default: models/ of this checkout.")
  String registry;

  @Option(names = "--init", paramLabel = "REF", description = "Fine-tune from this DiT checkpoint.")
  String init;

  @Option(names = "--name", defaultValue = "dit", description = "Model name in the registry. Default: ${DEFAULT-VALUE}.")
  String name;

  @Option(names = "--mode", description = {"t2v or i2v. Default: the --init model's mode; t2v for a new DiT. i2v from",
      "a text-to-video --init widens it to read the first frame (zero weights for it at first)."})
  String mode;

  @Option(names = "--steps", defaultValue = "2000", description = "Optimizer steps. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = "--batch", defaultValue = "8", description = "Clips per step. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--lr", defaultValue = "0.0003", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
  float learningRate;

  @Option(names = "--samples", defaultValue = "2",
      description = "Val captions sampled into the checkpoint as sample-N.mp4 + .png (20 steps). Default: ${DEFAULT-VALUE}.")
  int samples;

  @Option(names = "--warmup", defaultValue = "100", description = "Warm-up steps. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--caption-dropout", defaultValue = "0.1",
      description = "Share of captions dropped, for classifier-free guidance. Default: ${DEFAULT-VALUE}.")
  float captionDropout;

  @Option(names = "--image-dropout", paramLabel = "P",
      description = {"With --mode i2v, the share of clips trained with their first frame hidden (the condition zeroed),",
          "so the checkpoint also generates from text alone (generate without --image, generate-batch,",
          "eval-generation). Default: an image-to-video --init model's own (its manifest's image_dropout); 0."})
  Float imageDropout;

  @Option(names = "--noise-tilt", defaultValue = "1", paramLabel = "K",
      description = {"How each clip's noise step t of T is drawn: 1 uniformly, K with density K (t/T)^(K-1),",
          "so above 1 more steps near pure noise (where layout is set). Default: ${DEFAULT-VALUE}."})
  float noiseTilt;

  @Option(names = "--seed", defaultValue = "0", description = "Weights, shuffling and noise. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--val-every", defaultValue = "250",
      description = "Steps between val-loss measurements (a multiple of 10). Default: ${DEFAULT-VALUE}.")
  int valEvery;

  @Option(names = "--width", paramLabel = "N",
      description = "Token width of a new DiT (heads of 64). Default: 128; an --init model keeps its own.")
  Integer width;

  @Option(names = "--blocks", paramLabel = "N", description = {"Expert transformer blocks of a new DiT. Default: 4; an",
      "--init model keeps its own, or, given more, grows into a deeper DiT: its blocks spread evenly, new ones",
      "between them that start as the identity (so training starts from what it learnt)."})
  Integer blocks;

  @Option(names = "--patch", paramLabel = "N",
      description = "Latent cells per token side of a new DiT. Default: 2; an --init model keeps its own.")
  Integer patch;

  @Mixin SparkOptions spark;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The defaults reshaped by --width and --blocks (vocabulary and latent scale come from the data and the VAE). */
  public static DitConfig architecture(Integer width, Integer blocks, boolean i2v) {
    return architecture(width, blocks, null, i2v);
  }

  /** Refuses --width or --patch beside an --init model, which keeps its own (--blocks may deepen it). */
  public static void refuseShapeWithInit(Object init, Integer width, Integer patch) {
    if (init != null && (width != null || patch != null)) {
      throw new IllegalArgumentException("--width and --patch shape a new DiT; " + init
          + " keeps its own (--blocks can grow it deeper)");
    }
  }

  /** Refuses a --blocks beside an --init model that would not make it deeper. */
  public static void refuseShallowerInit(Object init, DitConfig initConfig, Integer blocks) {
    if (blocks != null && blocks <= initConfig.layers()) {
      throw new IllegalArgumentException("--blocks with --init grows a deeper DiT: " + init + " has "
          + initConfig.layers() + " blocks, so --blocks must be more, got " + blocks);
    }
  }

  /**
   * The defaults reshaped by --width, --blocks and --patch; null when none is given. A smaller patch
   * gives finer tokens (with 8x VAE cells, patch 2 makes a token 16 pixels wide) and more of them.
   */
  public static DitConfig architecture(Integer width, Integer blocks, Integer patch, boolean i2v) {
    DitConfig d = DitConfig.defaults(2, i2v, 1f);
    if (width == null && blocks == null && patch == null) {
      return null;
    }
    int p = patch == null ? d.patch() : patch;
    if (p < 1) {
      throw new IllegalArgumentException("--patch must be at least 1, got " + p);
    }
    int w = width == null ? d.dim() : width;
    if (w < 64 || w % 64 != 0) {
      throw new IllegalArgumentException("--width must be a multiple of 64 (heads of 64), got " + w);
    }
    int b = blocks == null ? d.layers() : blocks;
    if (b < 1) {
      throw new IllegalArgumentException("--blocks must be at least 1, got " + b);
    }
    return new DitConfig(d.latentChannels(), d.inputChannels(), p, w, w / 64, b, d.textLayers(),
        d.textTokens(), d.vocabSize(), d.timeFrequencies(), d.latentScale());
  }

  @Override
  public Integer call() throws Exception {
    refuseShapeWithInit(init, width, patch);
    String root = registry == null ? Registry.defaultRoot() : registry;
    // A new DiT's options are checked before Spark starts; an --init model's defaults need its manifest.
    DitTrainingConfig fresh = init == null ? config(root, mode == null ? "t2v" : mode, imageDropout) : null;
    try (SparkSession session = Sessions.start("ying-train-dit", spark.master, spark.conf)) {
      Sessions.warnIfDefaultRegistry(session, "train-dit", registry);
      DitTrainingConfig cfg = fresh != null ? fresh : fineTuning(session, root);
      System.err.println("ying train-dit: " + cfg);
      List<String> captions = SparkTraining.trainCaptions(session, cfg.data());
      String result = SparkTraining.inOneTask(session, storage -> {
        DitTrainer.Result r = DitTrainer.train(cfg, captions, storage);
        return r.ref() + " " + r.metrics();
      });
      System.out.println("published " + result);
      return 0;
    }
  }

  /**
   * The run for an --init model: unless told otherwise, in its mode and, for a joint image/text
   * one, with its image dropout, so that fine-tuning keeps what it can do (a joint DiT fine-tuned
   * without dropout would no longer generate from text alone).
   */
  private DitTrainingConfig fineTuning(SparkSession session, String root) throws java.io.IOException {
    Registry r = new Registry(new Storage(session.sparkContext().hadoopConfiguration()), root);
    JsonNode manifest = r.manifest(r.resolve(ModelRef.parse(init)));
    DitConfig initConfig = DitConfig.fromJson(manifest.get("config"));
    boolean initI2v = initConfig.imageToVideo();
    String m = mode != null ? mode : initI2v ? "i2v" : "t2v";
    Float dropout = imageDropout == null && initI2v && m.equals("i2v")
        ? Float.valueOf((float) manifest.path("image_dropout").asDouble(0)) : imageDropout;
    refuseShallowerInit(init, initConfig, blocks);
    DitTrainingConfig cfg = config(root, m, dropout);
    DitTrainer.refuseTextOnlyRun(init, initConfig, cfg.imageToVideo());
    return cfg;
  }

  private DitTrainingConfig config(String root, String m, Float dropout) {
    boolean i2v = switch (m) {
      case "t2v" -> false;
      case "i2v" -> true;
      default -> throw new IllegalArgumentException("--mode must be t2v or i2v, got '" + m + "'");
    };
    return new DitTrainingConfig(Storage.normalise(data), root, vae, init, architecture(width, blocks, patch, i2v), name,
        i2v, steps, batch, learningRate, warmup,
        new DitObjective(captionDropout, dropout == null ? 0f : dropout, 0f, 0f, noiseTilt), seed, 10, valEvery,
        samples, "ying " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
  }
}
