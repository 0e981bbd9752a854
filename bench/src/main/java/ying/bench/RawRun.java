package ying.bench;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ying.core.djl.Devices;
import ying.core.registry.ModelRef;

/**
 * What the trainers that run on a raw clip or latent file ({@link TrainVaeRaw}, {@link
 * TrainCaptionerRaw}, {@link TrainDitRaw}) share: the file and the provenance ExportClips wrote beside it, the {@code --seconds} probe, and
 * {@code run.json}, which their publishers read back.
 */
final class RawRun {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Time kept back from --seconds for the last val measurement and the save. */
  static final double RESERVE_SECONDS = 15;

  final long start = System.nanoTime();
  final RawClips data;
  final JsonNode provenance;
  /** ExportClips puts the dataset's val clips last; they track the val figure and are never trained on. */
  final int trainClips;

  RawRun(Path clips) throws IOException {
    this(clips, RawClips.read(clips));
  }

  private RawRun(Path clips, RawClips data) throws IOException {
    this(clips, data, data.clips.size(), data.frames + "x" + data.height + "x" + data.width);
  }

  /** A run on a {@link RawLatents} file ({@link TrainDitRaw}): {@link #data} is null. */
  static RawRun ofLatents(Path file, RawLatents latents) throws IOException {
    return new RawRun(file, null, latents.latents.size(), "latents " + java.util.Arrays.stream(latents.shape)
        .mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining("x")));
  }

  private RawRun(Path file, RawClips data, int clips, String shape) throws IOException {
    this.data = data;
    Path json = Path.of(file + ".json");
    this.provenance = Files.exists(json) ? JSON.readTree(json.toFile()) : JSON.createObjectNode();
    this.trainClips = clips - provenance.path("val_clips").asInt(0);
    System.err.printf(Locale.ROOT, "%d clips of %s (%d for training), device %s%n", clips, shape, trainClips,
        Devices.current());
  }

  /** The dataset the clips were exported from (what a publisher scores on), else the file itself. */
  String dataset(Path clips) {
    return provenance.path("dataset").asText(clips.toString());
  }

  double elapsed() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** One training step of a throwaway copy of the network, for the probe. */
  interface Step {
    void run();
  }

  /**
   * The step count that fits in what is left of {@code seconds}: {@code probeSteps} steps are timed
   * after two untimed ones (the first steps allocate and pick kernels); a step takes at least
   * {@code supplySeconds}, the time the data source needs for a batch (0 for a file in memory).
   */
  int plannedSteps(int seconds, int probeSteps, double supplySeconds, Step step) {
    double perStep = 0;
    for (int i = -2; i < probeSteps; i++) {
      long t0 = System.nanoTime();
      step.run();
      if (i >= 0) {
        perStep += (System.nanoTime() - t0) / 1e9 / probeSteps;
      }
    }
    double budget = seconds - elapsed() - RESERVE_SECONDS;
    double paced = Math.max(perStep, supplySeconds);
    int n = (int) Math.max(1, budget / paced);
    System.err.printf(Locale.ROOT, "probe: %.4f s/step, batches ready every %.4f s; %d steps fit in %.0f s%n",
        perStep, supplySeconds, n, budget);
    return n;
  }

  /**
   * The network config of a folder of weights: a raw trainer's run folder ({@code config.json}) or a
   * published checkpoint (its manifest's {@code config}).
   */
  static JsonNode networkConfig(Path folder) throws IOException {
    Path run = folder.resolve("config.json");
    return Files.exists(run) ? JSON.readTree(run.toFile())
        : JSON.readTree(folder.resolve("manifest.json").toFile()).get("config");
  }

  /**
   * Writes the trained network's {@code config.json} into {@code out} and starts its run.json with what
   * every raw trainer records (the main, its arguments, the step count, the device, the clips, and the
   * batch, learning rate, warm-up and seed); the caller adds its own and calls {@link #writeRunJson}.
   */
  ObjectNode saveRun(Path out, JsonNode config, Class<?> main, List<String> args, int steps, int batch,
      float learningRate, int warmup, long seed) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("config.json").toFile(), config);
    ObjectNode run = JSON.createObjectNode();
    run.put("main", main.getName());
    ArrayNode a = run.putArray("args");
    args.forEach(a::add);
    run.put("steps", steps);
    run.put("device", Devices.current().toString());
    run.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    run.set("clips", provenance);
    run.put("batch", batch);
    run.put("learning_rate", learningRate);
    run.put("warmup", warmup);
    run.put("seed", seed);
    return run;
  }

  void writeRunJson(Path out, ObjectNode run) throws IOException {
    run.put("seconds", elapsed());
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("run.json").toFile(), run);
  }

  /** The ref a checkpoint folder's manifest names ({@code NAME@VERSION}): what a fine-tune records as its init. */
  static String checkpointRef(JsonNode manifest) {
    return new ModelRef(manifest.path("name").asText(), manifest.path("version").asText()).toString();
  }

  /** The command line that made a run, from its run.json. */
  static String command(JsonNode run) {
    List<String> args = new java.util.ArrayList<>();
    run.path("args").forEach(a -> args.add(a.asText()));
    return "java " + run.path("main").asText() + " " + String.join(" ", args);
  }

  /** What a publisher adds to the manifest of a run trained elsewhere: where, how long, on what clips. */
  static Map<String, Object> publishFacts(JsonNode run, String machine, Class<?> publisher, List<String> args) {
    Map<String, Object> facts = new LinkedHashMap<>();
    // The raw trainers run on GPU machines (bench/gpu-device/) and on CPUs alike: the device says which.
    facts.put("trained_on", run.path("device").asText() + (machine == null ? "" : " of " + machine) + ", "
        + run.path("engine").asText());
    facts.put("training_seconds", Math.round(run.path("seconds").asDouble()));
    facts.put("raw_clips", JSON.convertValue(run.path("clips"), Map.class));
    if (run.has("rendered_world_seed")) {
      // Most training clips were rendered (RenderedClips), not decoded from the dataset.
      facts.put("rendered_world_seed", run.path("rendered_world_seed").asLong());
      facts.put("raw_share", run.path("raw_share").asDouble());
      if (run.path("short_scenes").asBoolean(false)) {
        facts.put("short_scenes", true);
      }
      if (run.path("chroma_420").asBoolean(false)) {
        facts.put("chroma_420", true);
      }
    }
    facts.put("published_by", "java " + publisher.getName() + " " + String.join(" ", args));
    return facts;
  }
}
