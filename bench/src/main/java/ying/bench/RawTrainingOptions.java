package ying.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every raw-clip trainer takes ({@link TrainVaeRaw}, {@link TrainCaptionerRaw}): data, length, rendering. */
final class RawTrainingOptions extends RawStepOptions {
  @Option(names = "--clips", required = true, description = "A raw clip file from ExportClips.")
  Path clips;

  @Mixin RenderOptions render;

  @Option(names = "--raw-share", defaultValue = "0.25", description = {"With --render-seed, the share of training clips",
      "taken from the file's decoded clips (default: ${DEFAULT-VALUE})."})
  double rawShare;

  @Option(names = "--short-scenes", description = {"With --render-seed, also render scenes shorter than a clip,",
      "whole, their frames spread over the scene as the caption job samples a short clip (for the captioner)."})
  boolean shortScenes;

  /** Reads the clip file, after checking that exactly one of --steps and --seconds is there. */
  RawRun open() throws IOException {
    checkLength();
    return new RawRun(clips);
  }

  /** Clips rendered ahead of the trainer with the file's training clips mixed in; null without --render-seed. */
  RenderedClips rendered(RawRun raw, int batch) {
    return render.renderSeed == null ? null
        : new RenderedClips(render.renderSeed, raw.data.frames, batch, render.renderThreads, raw.data, raw.trainClips,
            rawShare, shortScenes, render.chroma420);
  }

  /** Puts what rendering added to the training data into a run's run.json. */
  void record(ObjectNode facts) {
    render.record(facts);
    if (render.renderSeed != null) {
      facts.put("raw_share", rawShare);
      if (shortScenes) {
        facts.put("short_scenes", true);
      }
    }
  }
}
