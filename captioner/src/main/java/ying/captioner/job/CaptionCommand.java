package ying.captioner.job;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.core.cli.SparkOptions;
import ying.core.cli.YingCommand;
import ying.core.registry.Registry;
import ying.core.spark.Sessions;

/** {@code ying caption}: raw videos to a clip table with dense, time-stamped captions. */
@Command(name = "caption", mixinStandardHelpOptions = true,
    description = {"Caption raw videos: cut at scene changes, split long scenes, caption every clip with the model.",
        "Writes OUT/caption_model=<NAME@VERSION>/ (Parquet, one row per clip) and OUT/_errors/. A rerun captions",
        "only videos whose content this model version has not captioned yet."})
public final class CaptionCommand implements YingCommand {
  private static final CaptionOptions D = CaptionOptions.defaults("captioner", null);

  @Option(names = "--input", required = true, paramLabel = "URI",
      description = "A folder (recursive), a glob, a manifest file of URIs (.txt), or one video.")
  String input;

  @Option(names = "--out", required = true, paramLabel = "URI", description = "The clip table to create or extend.")
  String out;

  @Option(names = "--model", defaultValue = "captioner", paramLabel = "REF",
      description = {"Captioner checkpoint NAME[@VERSION] in --registry, or the URI of a folder holding an external",
          "TorchScript captioner (docs/captioner-contract.md). Default: the release captioner, ${DEFAULT-VALUE}."})
  String model;

  @Option(names = "--registry", paramLabel = "URI", description = "Checkpoint registry. Default: models/ of this checkout.")
  String registry;

  @Option(names = "--max-clip-s", description = "Longest clip; longer scenes are split evenly. Default: 10.")
  Double maxClipSeconds;

  @Option(names = "--min-clip-s", description = "Shortest clip captioned. Default: 1.")
  Double minClipSeconds;

  @Option(names = "--window-s", description = {"Seconds of a clip's middle that the captioner's frames are spread over.",
      "Default: the span of the model's training clips (window_seconds in its manifest).",
      "A rerun with another window adds nothing for videos that model already captioned."})
  Double windowSeconds;

  @Option(names = "--beam", description = "Beam width; 1 decodes greedily. Default: 1.")
  Integer beam;

  @Option(names = "--views", description = {"Windows of a clip longer than the model's window that it reads, spread over",
      "the clip and decoded as one caption; costs the model that many times the work. Default: 1 (the middle)."})
  Integer views;

  @Option(names = "--batch", description = "Clips per model call. Default: 16.")
  Integer batch;

  @Option(names = "--torch-threads",
      description = "libtorch threads per executor; 0 = all its cores. Default: 1, one per task, so tasks run side by side.")
  Integer torchThreads;

  @Option(names = "--frame-memory-mb",
      description = {"Decoded frames a task keeps of one video, so one decode pass finds the cuts and samples the clips;",
          "a scene longer than this (1.7 min at 192x128, 16 fps) reads its clips back with seeks. Default: 128."})
  Integer frameMemoryMb;

  @Mixin SparkOptions spark;

  CaptionOptions options() {
    return new CaptionOptions(model, registry == null ? Registry.defaultRoot() : registry,
        maxClipSeconds == null ? D.maxClipSeconds() : maxClipSeconds,
        minClipSeconds == null ? D.minClipSeconds() : minClipSeconds, beam == null ? D.beam() : beam,
        views == null ? D.views() : views,
        batch == null ? D.batch() : batch, windowSeconds == null ? D.windowSeconds() : windowSeconds, D.sampleFps(),
        torchThreads == null ? D.torchThreads() : torchThreads,
        frameMemoryMb == null ? D.frameMemoryMb() : frameMemoryMb);
  }

  @Override
  public Integer call() throws Exception {
    CaptionOptions options = options();
    System.err.println("ying caption: input=" + input + " out=" + out + " " + options);
    try (SparkSession session = Sessions.start("ying-caption", spark.master, spark.conf)) {
      Sessions.warnIfDefaultRegistry(session, "caption", registry);
      CaptionRun.Summary s = CaptionRun.run(session, input, out, options);
      System.out.printf("captioned %d videos (%d clips) with %s; %d already done; %d errors%n"
          + "  clips:  %s/caption_model=%s/%n  errors: %s/_errors/%n", s.captionedVideos(), s.clips(), s.model(),
          s.skipped(), s.errors(), out, s.model(), out);
      return 0;
    }
  }
}
