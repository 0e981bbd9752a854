package ying.trainer.vae;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
        "input's, the latents' spread, and the time per clip."})
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
        VaeEvaluation.Result result = VaeEvaluation.run(vae, storage, Storage.normalise(data), which, clips, "eval-vae");
        System.out.println("eval-vae " + ckpt.ref() + " on " + data + " (" + split + "): " + result);
      }
      return 0;
    }
  }
}
