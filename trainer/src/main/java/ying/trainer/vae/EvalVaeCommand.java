package ying.trainer.vae;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.captioner.job.CaptionerSource;
import ying.captioner.model.Captioner;
import ying.core.cli.SparkOptions;
import ying.core.cli.YingCommand;
import ying.core.dataset.DatasetLayout;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.spark.Sessions;
import ying.inference.vae.VaeModel;

/** {@code ying eval-vae}: reconstruction quality of a VAE checkpoint on a dataset's clips. */
@Command(name = "eval-vae", mixinStandardHelpOptions = true,
    description = {"Encode and decode whole clips of a built dataset (e.g. one built from `ying synth` output of a",
        "seed never trained on) and print PSNR (whole clips and first frames), SSIM, temporal flicker against the",
        "input's, the latents' spread, and the time per clip; with --captioner, how much of each clip's caption a",
        "captioner still reads in the reconstruction."})
public final class EvalVaeCommand implements YingCommand {
  @Option(names = "--data", required = true, paramLabel = "URI", description = "A dataset from build-dataset.")
  String data;

  @Option(names = "--model", defaultValue = "vae", paramLabel = "REF",
      description = "VAE checkpoint NAME[@VERSION] in --registry. Default: ${DEFAULT-VALUE} (the latest).")
  String model;

  @Option(names = "--registry", paramLabel = "URI", description = "Default: models/ of this checkout.")
  String registry;

  @Option(names = "--split", defaultValue = "all", description = "train, val or all. Default: ${DEFAULT-VALUE}.")
  String split;

  @Option(names = "--clips", defaultValue = "64", description = "At most this many clips. Default: ${DEFAULT-VALUE}.")
  int clips;

  @Option(names = "--captioner", paramLabel = "REF",
      description = {"Also caption every input clip and its reconstruction with this captioner (a ref in",
          "--captioner-registry or a TorchScript folder) and print how often each attribute of the clip's caption",
          "survives: what eval-generation's judge can still see after the VAE. Clips must be the captioner's size or one",
          "whole factor smaller or larger (96x64 clips for a 192x128 captioner: each pixel read as a 2x2 block)."})
  String captioner;

  @Option(names = "--captioner-registry", paramLabel = "URI", description = "Default: models/ of this checkout.")
  String captionerRegistry;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() throws Exception {
    String which = switch (split) {
      case "all" -> null;
      case DatasetLayout.TRAIN, DatasetLayout.VAL -> split;
      default -> throw new IllegalArgumentException("--split must be train, val or all, got '" + split + "'");
    };
    if (clips < 1) {
      throw new IllegalArgumentException("--clips must be positive, got " + clips);
    }
    try (SparkSession session = Sessions.start("ying-eval-vae", spark.master, spark.conf)) {
      Storage storage = new Storage(session.sparkContext().hadoopConfiguration());
      Registry r = new Registry(storage, registry == null ? Registry.defaultRoot() : registry);
      try (Checkpoint ckpt = r.load(ModelRef.parse(model)); VaeModel vae = VaeModel.load(ckpt)) {
        CaptionerSource source = captioner == null ? null : CaptionerSource.resolve(storage, captioner,
            captionerRegistry == null ? Registry.defaultRoot() : captionerRegistry);
        try (Captioner judge = source == null ? null : source.open(storage)) {
          VaeEvaluation.Result result = VaeEvaluation.run(vae, storage, Storage.normalise(data), which, clips,
              "eval-vae", judge, source == null ? null : source.label());
          System.out.println("eval-vae " + ckpt.ref() + " on " + data + " (" + split + "): " + result);
          VaeEvaluation.Judged j = result.judged();
          if (j == null) {
            return 0;
          }
          System.out.printf("%s on the %d input clips:%n%s  exact      %6.2f%%%n", j.captioner(), j.inputs().total(),
              j.inputs().perAttribute(), 100 * j.inputs().exactMatch());
          System.out.printf("%s on their reconstructions:%n%s  exact      %6.2f%%%n", j.captioner(),
              j.reconstructions().perAttribute(), 100 * j.reconstructions().exactMatch());
        }
      }
      return 0;
    }
  }
}
