package ying.bench;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of a benchmark that alternates Spark masters side by side and reports their scaling. */
final class ScalingOptions {
  @Option(names = "--dir", description = "Folder for the synthetic input and the outputs; the input is reused when it exists (default: a new temp folder).")
  Path dir;

  @Option(names = "--reps", defaultValue = "3",
      description = "Timed rounds to keep, one run per master each, after the warm-up rounds (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--masters", split = ",", defaultValue = "local[1],local[2]",
      description = "Spark masters to alternate; the scaling is last over first (default: ${DEFAULT-VALUE}).")
  List<String> masters;

  // Each run executes newly generated Spark code, so C2 keeps compiling for several runs; pinned to one core it competes.
  @Option(names = "--warmups", defaultValue = "1", description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--pin",
      description = "Pin the whole JVM (driver, JIT and GC threads too) to N CPUs for local[N] with taskset -a, so that"
          + " local[1] gets one core, not one task thread plus a core for everything else.")
  boolean pin;

  @Option(names = "--target", defaultValue = "1.7", description = "Scaling the issue asks for (default: ${DEFAULT-VALUE}).")
  double target;
}
