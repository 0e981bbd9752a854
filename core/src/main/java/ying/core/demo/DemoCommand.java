package ying.core.demo;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.cli.Main;
import ying.core.cli.YingCommand;
import ying.core.io.Storage;

/**
 * {@code ying demo}: the whole chain on the embedded default, each stage run as its own command
 * exactly as a user would type it. It calls the stages by name, so it needs no compile-time link to
 * the modules that own them, only all of them on the class path (as bin/ying has it).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the pipeline end to end, embedded: synth -> caption (release captioner) -> build-dataset",
        "(training and generation join as they land).",
        "Prints each stage's command and where its output went. Reruns reuse the synthetic videos and rebuild the rest."})
public final class DemoCommand implements YingCommand {
  @Option(names = "--out", defaultValue = "ying-demo", paramLabel = "URI",
      description = "Folder for every stage's output. Default: ${DEFAULT-VALUE}.")
  String out;

  @Option(names = "--videos", defaultValue = "8", description = "Synthetic videos to render. Default: ${DEFAULT-VALUE}.")
  int videos;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the synthetic world. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() {
    String root = Storage.normalise(out);
    String synth = Storage.join(root, "synth");
    String captions = Storage.join(root, "captions");
    String dataset = Storage.join(root, "dataset");
    List<String[]> stages = new ArrayList<>();
    stages.add(new String[] {"synth", "--count", Integer.toString(videos), "--seed", Long.toString(seed), "--out",
        synth});
    stages.add(new String[] {"caption", "--input", Storage.join(synth, "videos"), "--out", captions});
    stages.add(new String[] {"build-dataset", "--clips", captions, "--out", dataset, "--overwrite"});
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
    return 0;
  }

  private static void requireCommand(String name) {
    if (!Main.commandNames().contains(name)) {
      throw new CommandLine.ParameterException(new CommandLine(new DemoCommand()),
          "command '" + name + "' is not on the class path; run the demo through bin/ying, which puts every module there");
    }
  }
}
