package ying.core.registry;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.cli.YingCommand;
import ying.core.io.Storage;
import ying.core.spark.Sessions;

/**
 * {@code ying copy-model}: one checkpoint from one registry to another (say the release models to a
 * team's S3 registry, or into a scratch registry to fine-tune without touching the release one),
 * same name, version and manifest, verified on arrival.
 */
@Command(name = "copy-model", mixinStandardHelpOptions = true,
    description = {"Copy a checkpoint between registries, keeping its name, version and manifest; verified on arrival.",
        "Copying a version the target already holds with the same files does nothing."})
public final class CopyModelCommand implements YingCommand {
  @Option(names = "--model", required = true, paramLabel = "REF", description = "NAME (its latest version) or NAME@VERSION.")
  String model;

  @Option(names = "--from", paramLabel = "URI", description = "Source registry. Default: models/ of this checkout.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "URI", description = "Target registry (any Hadoop URI).")
  String to;

  @Option(names = "--conf", paramLabel = "FILE",
      description = "A Spark properties file whose spark.hadoop.* entries reach the registries (see conf/). Repeatable: a later file wins.")
  List<String> conf = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Storage storage = new Storage(Sessions.hadoopConfiguration(conf));
    Registry source = new Registry(storage, from == null ? Registry.defaultRoot() : from);
    Registry target = new Registry(storage, to);
    Registry.Copy copy = target.copyFrom(source, ModelRef.parse(model));
    System.out.println((copy.written() ? "copied " : "already there: ") + copy.ref() + " from " + source.root()
        + " to " + target.root());
    return 0;
  }
}
