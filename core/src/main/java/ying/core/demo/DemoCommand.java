package ying.core.demo;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.cli.Main;
import ying.core.cli.YingCommand;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;

/**
 * {@code ying demo}: the whole chain on the embedded default, each stage run as its own command
 * exactly as a user would type it. It calls the stages by name, so it needs no compile-time link to
 * the modules that own them, only all of them on the class path (as bin/ying has it).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the pipeline end to end, embedded: synth -> caption (release captioner) -> build-dataset",
        "(with the release VAE's latents) -> fine-tune the release DiT -> publish -> generate a video.",
        "The release VAE and DiT are copied into OUT/models first, so the fine-tune publishes there, never into the",
        "release registry. Prints each stage's command and where its output went. Reruns reuse the synthetic videos",
        "and rebuild the rest."})
public final class DemoCommand implements YingCommand {
  @Option(names = "--out", defaultValue = "ying-demo", paramLabel = "URI",
      description = "Folder for every stage's output. Default: ${DEFAULT-VALUE}.")
  String out;

  @Option(names = "--videos", defaultValue = "8", description = "Synthetic videos to render. Default: ${DEFAULT-VALUE}.")
  int videos;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the synthetic world. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--train-steps", defaultValue = "60",
      description = "Fine-tuning steps of the release DiT on the demo's dataset. Default: ${DEFAULT-VALUE}.")
  int trainSteps;

  @Option(names = "--prompt", defaultValue = DEFAULT_PROMPT,
      description = "What the generated video shows. Default: \"${DEFAULT-VALUE}\".")
  String prompt;

  @Option(names = "--sample-steps", defaultValue = "50", description = "Sampling steps. Default: ${DEFAULT-VALUE}.")
  int sampleSteps;

  // The release DiT learned 17-frame clips (2 s at 8 fps): vae@1 reconstructs the first 9 frames of a
  // clip far better than later ones, so longer clips taught it little.
  @Option(names = "--frames", defaultValue = "17", description = "Frames to generate, 1+4k. Default: ${DEFAULT-VALUE}.")
  int frames;

  static final String DEFAULT_PROMPT =
      "The camera is static. On a green checkerboard background, a large red circle moves right. Flat style.";

  @Override
  public Integer call() throws Exception {
    String root = Storage.normalise(out);
    String synth = Storage.join(root, "synth");
    String captions = Storage.join(root, "captions");
    String dataset = Storage.join(root, "dataset");
    String models = Storage.join(root, "models");
    String video = Storage.join(root, "generated.mp4");
    // The DiT names the VAE whose latents it learned; the demo's dataset must hold that VAE's latents.
    Registry release = new Registry(Storage.local(), Registry.defaultRoot());
    ModelRef dit = null;
    ModelRef vae = null;
    if (!release.versions("dit").isEmpty()) {
      try (Checkpoint c = release.load(ModelRef.parse("dit"))) {
        dit = c.ref();
        vae = ModelRef.parse(c.manifest().get("vae").asText());
      }
    }
    List<String[]> stages = new ArrayList<>();
    stages.add(new String[] {"synth", "--count", Integer.toString(videos), "--seed", Long.toString(seed), "--out",
        synth});
    stages.add(new String[] {"caption", "--input", Storage.join(synth, "videos"), "--out", captions});
    if (dit == null) {
      System.err.println("ying demo: no release DiT in " + release.root() + ", so the demo stops after build-dataset"
          + " (no fine-tune, no generated video)");
      stages.add(new String[] {"build-dataset", "--clips", captions, "--out", dataset, "--overwrite"});
    } else {
      stages.add(new String[] {"copy-model", "--model", vae.toString(), "--to", models});
      stages.add(new String[] {"copy-model", "--model", dit.toString(), "--to", models});
      stages.add(new String[] {"build-dataset", "--clips", captions, "--out", dataset, "--overwrite", "--vae",
          vae.toString(), "--registry", models, "--bucket", "96x64x" + frames + "@8"});
      stages.add(new String[] {"train-dit", "--data", dataset, "--registry", models, "--init", dit.toString(), "--vae",
          vae.toString(), "--steps", Integer.toString(trainSteps), "--batch", "4", "--warmup",
          Integer.toString(Math.max(1, trainSteps / 10)), "--val-every",
          Integer.toString(Math.max(10, trainSteps / 30 * 10))});
      stages.add(new String[] {"generate", "--registry", models, "--checkpoint", "dit", "--prompt", prompt, "--steps",
          Integer.toString(sampleSteps), "--frames", Integer.toString(frames), "--out", video});
    }
    long t0 = System.nanoTime();
    for (String[] stage : stages) {
      requireCommand(stage[0]);
      System.out.println("\n== ying " + String.join(" ", stage));
      int code = Main.run(stage);
      if (code != 0) {
        System.err.println("ying demo: stage '" + stage[0] + "' failed with exit code " + code);
        return code;
      }
    }
    System.out.printf("%n== demo finished in %.0f s%n  synthetic videos and labels: %s%n  captions:"
        + "                     %s%n  training dataset:             %s (see _report.png)%n",
        (System.nanoTime() - t0) / 1e9, synth, captions, dataset);
    if (dit != null) {
      System.out.printf("  models:                       %s (the release %s and %s, and the fine-tuned DiT)%n"
          + "  generated video:              %s (and its contact sheet, .png)%n", models, vae, dit, video);
    }
    return 0;
  }

  private static void requireCommand(String name) {
    if (!Main.commandNames().contains(name)) {
      throw new CommandLine.ParameterException(new CommandLine(new DemoCommand()),
          "command '" + name + "' is not on the class path; run the demo through bin/ying, which puts every module there");
    }
  }
}
