package ying.core.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a job runs: the options every Spark command shares. */
public final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (local[N], spark://host:port, yarn, k8s://...). Default: embedded local[*].")
  public String master;

  @Option(names = "--conf", paramLabel = "FILE",
      description = {"A Spark properties file layered over the defaults (see conf/). Repeatable: a later file wins,",
          "e.g. --conf my-s3.properties --conf conf/gpu.properties."})
  public List<String> conf = new ArrayList<>();
}
