package ying.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * A verified checkpoint, its files in a local folder (a copy when the registry is remote), with
 * its manifest. Close it to remove a temporary copy.
 */
public final class Checkpoint implements AutoCloseable {
  private final ModelRef ref;
  private final Path dir;
  private final JsonNode manifest;
  private final boolean temporary;

  Checkpoint(ModelRef ref, Path dir, JsonNode manifest, boolean temporary) {
    this.ref = ref;
    this.dir = dir;
    this.manifest = manifest;
    this.temporary = temporary;
  }

  /** The exact reference, {@code NAME@VERSION}. */
  public ModelRef ref() {
    return ref;
  }

  public Path dir() {
    return dir;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  public JsonNode manifest() {
    return manifest;
  }

  /** The model's own config as the manifest records it. */
  public JsonNode config() {
    return manifest.get("config");
  }

  @Override
  public void close() {
    if (temporary) {
      Registry.deleteRecursively(dir);
    }
  }
}
