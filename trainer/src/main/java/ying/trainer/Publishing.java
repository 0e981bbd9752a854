package ying.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import ying.core.dataset.DatasetLayout;
import ying.core.io.Storage;

/** What every trainer does around a publish: name the exact data, stage files locally, clean up. */
public final class Publishing {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Publishing() {}

  /** The dataset's content hash from its manifest: what the checkpoint was trained on, exactly. */
  public static String datasetHash(Storage storage, String data) throws IOException {
    JsonNode manifest = JSON.readTree(storage.readString(new DatasetLayout(data).manifest()));
    return manifest.get("content_sha256").asText();
  }

  /** The manifest fields every run records beside its metrics: how to make it again. */
  public static Map<String, Object> runFacts(String command, long seed, int steps, int batch, float learningRate) {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("command", command);
    extra.put("seed", seed);
    extra.put("steps", steps);
    extra.put("batch", batch);
    extra.put("learning_rate", learningRate);
    return extra;
  }

  /** A local folder to stage a checkpoint's files in before the registry copies them. */
  public interface Staged<T> {
    T in(Path dir) throws IOException;
  }

  /** Runs {@code body} with a fresh temporary folder and deletes the folder afterwards, whatever happens. */
  public static <T> T staged(String prefix, Staged<T> body) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    try {
      return body.in(dir);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
