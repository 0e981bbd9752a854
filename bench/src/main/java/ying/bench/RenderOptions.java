package ying.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** Training on clips rendered from the synthetic world as they go: what every raw trainer's rendering takes. */
final class RenderOptions {
  @Option(names = "--render-seed", description = {"Also train on clips rendered from the synthetic world of this seed",
      "as they go; the file still gives the val clips."})
  Long renderSeed;

  @Option(names = "--render-threads", defaultValue = "4", description = "Rendering threads (default: ${DEFAULT-VALUE}).")
  int renderThreads;

  @Option(names = "--chroma-420", description = {"With --render-seed, keep rendered frames' colour at half resolution",
      "in both directions, as the H.264 videos' yuv420p does."})
  boolean chroma420;

  /** Puts what rendering added to the training data into a run's run.json. */
  void record(ObjectNode facts) {
    if (renderSeed != null) {
      facts.put("rendered_world_seed", renderSeed);
      if (chroma420) {
        facts.put("chroma_420", true);
      }
    }
  }
}
