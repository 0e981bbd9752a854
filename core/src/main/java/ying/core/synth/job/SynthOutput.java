package ying.core.synth.job;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import ying.core.io.Storage;

/**
 * The output folder of a synth run and its completion marker, {@code _synth.json}, written last.
 * The marker records the settings, so a rerun can tell "already done" from "made differently".
 */
final class SynthOutput {
  private final Storage storage;
  private final SynthConfig config;

  SynthOutput(Storage storage, SynthConfig config) {
    this.storage = storage;
    this.config = config;
  }

  String videos() {
    return Storage.join(config.out(), "videos");
  }

  String labels() {
    return Storage.join(config.out(), "labels");
  }

  private String marker() {
    return Storage.join(config.out(), "_synth.json");
  }

  /** The settings as the marker states them: what makes two runs' output identical. */
  String fingerprint() {
    var w = config.world();
    return String.format(java.util.Locale.ROOT,
        "{\"count\": %d, \"seed\": %d, \"width\": %d, \"height\": %d, \"fps\": %d, \"min_scenes\": %d, "
            + "\"max_scenes\": %d, \"min_scene_s\": %s, \"max_scene_s\": %s, \"min_objects\": %d, \"max_objects\": %d}",
        config.count(), config.seed(), w.width(), w.height(), w.fps(), w.minScenes(), w.maxScenes(),
        w.minSceneSeconds(), w.maxSceneSeconds(), w.minObjects(), w.maxObjects());
  }

  boolean isComplete() throws IOException {
    if (!storage.exists(marker())) {
      return false;
    }
    String recorded = storage.readString(marker()).lines().findFirst().orElse("");
    return recorded.equals(fingerprint());
  }

  /**
   * Makes the folder ready for this run. Finished output of other settings is refused unless
   * {@code overwrite}; videos a half-finished earlier run left that this run will not write are
   * removed, so the folder ends up holding exactly this run's videos.
   */
  void prepare(boolean overwrite) throws IOException {
    if (storage.exists(marker())) {
      if (!overwrite) {
        throw new IllegalStateException(config.out() + " holds synth output made with other settings ("
            + storage.readString(marker()).lines().findFirst().orElse("") + "); pass --overwrite to replace it");
      }
      storage.delete(marker());
    }
    if (!storage.exists(videos())) {
      return;
    }
    Set<String> planned = new HashSet<>();
    IntStream.range(0, config.count()).forEach(i -> planned.add(config.videoName(i)));
    for (String file : storage.listFiles(videos())) {
      if (!planned.contains(Storage.fileName(file))) {
        storage.delete(file);
      }
    }
  }

  void markComplete(long scenes) throws IOException {
    storage.writeStringAtomically(marker(), fingerprint() + "\n{\"scenes\": " + scenes + "}\n");
  }
}
