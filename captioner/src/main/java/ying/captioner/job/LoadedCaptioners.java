package ying.captioner.job;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import ying.captioner.model.CaptionerModel;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;

/**
 * Captioners loaded once per executor JVM and shared by its tasks, keyed by registry and exact
 * version. Loading goes through the registry URI, so executors never need a driver-local path.
 */
final class LoadedCaptioners {
  private static final Map<String, CaptionerModel> MODELS = new HashMap<>();

  private LoadedCaptioners() {}

  /** The model for an exact ref; inference on it is serialised, as one DJL model is not thread-safe. */
  static synchronized CaptionerModel get(Storage storage, String registry, ModelRef exact) throws IOException {
    String key = Storage.normalise(registry) + "#" + exact;
    CaptionerModel m = MODELS.get(key);
    if (m == null) {
      try (Checkpoint ckpt = new Registry(storage, registry).load(exact)) {
        m = CaptionerModel.load(ckpt);
      }
      MODELS.put(key, m);
    }
    return m;
  }
}
