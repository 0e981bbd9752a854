package ying.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a raw-file trainer writes and how long it trains: what {@link TrainDitRaw} and the raw-clip trainers share. */
class RawStepOptions {
  @Option(names = "--out", required = true, description = "Folder for the weights, config, log and run.json.")
  Path out;

  @Option(names = "--steps", description = "Optimizer steps; or give --seconds.")
  Integer steps;

  @Option(names = "--seconds", description = "Train for about this long: timed probe steps fix the step count.")
  Integer seconds;

  @Option(names = "--probe-steps", defaultValue = "8", description = "Timed steps of the --seconds probe (default: ${DEFAULT-VALUE}).")
  int probeSteps;

  void checkLength() {
    if ((steps == null) == (seconds == null)) {
      throw new IllegalArgumentException("give exactly one of --steps and --seconds");
    }
  }
}
