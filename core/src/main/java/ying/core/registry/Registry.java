package ying.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import ying.core.io.Hashing;
import ying.core.io.Storage;

/**
 * Versioned checkpoints under {@code REGISTRY/NAME/VERSION/}: the files a model needs plus a
 * {@code manifest.json} (name, version, parent, created, training data, metrics, config and the
 * sha256 of every file). Publishing is atomic: files go to a temporary folder, are verified, the
 * folder is renamed to its version, and only then does {@code NAME/LATEST} point at it. Loading
 * verifies every checksum and refuses a damaged checkpoint.
 */
public final class Registry {
  public static final String MANIFEST = "manifest.json";
  public static final String LATEST = "LATEST";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Storage storage;
  private final String root;

  public Registry(Storage storage, String root) {
    this.storage = storage;
    this.root = Storage.normalise(root);
  }

  /**
   * The registry that ships with Ying: {@code models/} in the checkout ({@code -Dying.home}, which
   * bin/ying sets), else {@code ./models}.
   */
  public static String defaultRoot() {
    return Path.of(System.getProperty("ying.home", "."), "models").toAbsolutePath().normalize().toString();
  }

  public String root() {
    return root;
  }

  /** What a publish records besides the files; {@code extra} adds fields such as command and seed. */
  public record Publication(String name, String parent, String dataPath, String dataHash, Map<String, Object> metrics,
      JsonNode config, Map<String, Object> extra) {}

  /** Publishes every (non-hidden) file of {@code localDir} as the next version of {@code p.name()}; returns its ref. */
  public ModelRef publish(Path localDir, Publication p) throws IOException {
    new ModelRef(p.name(), null);
    List<Path> files;
    try (Stream<Path> s = Files.list(localDir)) {
      // Hidden files are left out: Hadoop's local file system writes a .NAME.crc beside what it writes.
      files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(MANIFEST))
          .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("nothing to publish in " + localDir);
    }
    String version = nextVersion(p.name());
    Map<String, String> sums = new TreeMap<>();
    for (Path f : files) {
      sums.put(f.getFileName().toString(), Hashing.sha256(Files.newInputStream(f)));
    }
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("name", p.name());
    manifest.put("version", version);
    manifest.put("parent", p.parent());
    manifest.put("created", Instant.now().toString());
    p.extra().forEach((k, v) -> manifest.set(k, JSON.valueToTree(v)));
    ObjectNode data = manifest.putObject("training_data");
    data.put("path", p.dataPath());
    data.put("hash", p.dataHash());
    manifest.set("metrics", JSON.valueToTree(p.metrics()));
    manifest.set("config", p.config());
    manifest.set("files", JSON.valueToTree(sums));

    String staging = Storage.join(Storage.join(root, p.name()), "._staging-" + UUID.randomUUID());
    String target = Storage.join(Storage.join(root, p.name()), version);
    try {
      for (Path f : files) {
        storage.putAtomically(f, Storage.join(staging, f.getFileName().toString()));
      }
      storage.writeStringAtomically(Storage.join(staging, MANIFEST), JSON.writeValueAsString(manifest));
      verify(staging, manifest, p.name() + "@" + version + " (staging)");
      if (!storage.fs(target).rename(new org.apache.hadoop.fs.Path(staging), new org.apache.hadoop.fs.Path(target))) {
        throw new IOException("could not move " + staging + " to " + target + " (did another publish take it?)");
      }
    } catch (IOException | RuntimeException e) {
      storage.delete(staging);
      throw e;
    }
    storage.writeStringAtomically(Storage.join(Storage.join(root, p.name()), LATEST), version + "\n");
    return new ModelRef(p.name(), version);
  }

  /**
   * Copies one checkpoint of {@code source} into this registry under the same name and version,
   * manifest and all, so its provenance and the refs that name it stay true. The copy is verified
   * against the manifest before it becomes visible; LATEST moves to it only when it is newer than
   * what this registry already has. Copying a version that is already here with the same files does
   * nothing; one with other files is refused.
   *
   * @return the exact ref copied, and whether anything was written
   */
  public Copy copyFrom(Registry source, ModelRef ref) throws IOException {
    try (Checkpoint checkpoint = source.load(ref)) {
      ModelRef exact = checkpoint.ref();
      String target = dir(exact);
      String targetManifest = Storage.join(target, MANIFEST);
      if (storage.exists(targetManifest)) {
        JsonNode here = JSON.readTree(storage.readString(targetManifest));
        if (!here.get("files").equals(checkpoint.manifest().get("files"))) {
          throw new CheckpointException(exact + " is already in " + root + " with other files; not overwriting it");
        }
        verify(target, here, exact + " in " + root);
        return new Copy(exact, false);
      }
      String staging = Storage.join(Storage.join(root, exact.name()), "._staging-" + UUID.randomUUID());
      try {
        for (var it = checkpoint.manifest().get("files").fieldNames(); it.hasNext(); ) {
          String f = it.next();
          storage.putAtomically(checkpoint.file(f), Storage.join(staging, f));
        }
        storage.writeStringAtomically(Storage.join(staging, MANIFEST), JSON.writeValueAsString(checkpoint.manifest()));
        verify(staging, checkpoint.manifest(), exact + " (staging)");
        if (!storage.fs(target).rename(new org.apache.hadoop.fs.Path(staging), new org.apache.hadoop.fs.Path(target))) {
          throw new IOException("could not move " + staging + " to " + target);
        }
      } catch (IOException | RuntimeException e) {
        storage.delete(staging);
        throw e;
      }
      String latest = Storage.join(Storage.join(root, exact.name()), LATEST);
      if (!storage.exists(latest) || newer(exact.version(), storage.readString(latest).strip())) {
        storage.writeStringAtomically(latest, exact.version() + "\n");
      }
      return new Copy(exact, true);
    }
  }

  /** What {@link #copyFrom} did. */
  public record Copy(ModelRef ref, boolean written) {}

  private static boolean newer(String version, String than) {
    if (version.matches("\\d+") && than.matches("\\d+")) {
      return Integer.parseInt(version) > Integer.parseInt(than);
    }
    return version.compareTo(than) > 0;
  }

  /** Versions are 1, 2, 3...: one more than the highest published, whatever LATEST says. */
  String nextVersion(String name) throws IOException {
    return Integer.toString(versions(name).stream().mapToInt(Integer::parseInt).max().orElse(0) + 1);
  }

  /** The published versions of a model, oldest first. */
  public List<String> versions(String name) throws IOException {
    String dir = Storage.join(root, name);
    List<String> out = new ArrayList<>();
    if (!storage.exists(dir)) {
      return out;
    }
    for (var st : storage.fs(dir).listStatus(new org.apache.hadoop.fs.Path(dir))) {
      String v = st.getPath().getName();
      if (st.isDirectory() && v.matches("\\d+")) {
        out.add(v);
      }
    }
    out.sort(Comparator.comparingInt(Integer::parseInt));
    return out;
  }

  /** Resolves {@code NAME} to the version LATEST names. */
  public ModelRef resolve(ModelRef ref) throws IOException {
    if (!ref.latest()) {
      return ref;
    }
    String latest = Storage.join(Storage.join(root, ref.name()), LATEST);
    if (!storage.exists(latest)) {
      throw new CheckpointException("no model '" + ref.name() + "' in registry " + root
          + (storage.exists(root) ? "" : " (the registry folder does not exist)"));
    }
    return new ModelRef(ref.name(), storage.readString(latest).strip());
  }

  /**
   * A checkpoint's manifest alone, unverified: for a driver that only asks what a checkpoint is
   * before its tasks {@link #load} it.
   */
  public JsonNode manifest(ModelRef ref) throws IOException {
    ModelRef exact = resolve(ref);
    String manifestUri = Storage.join(dir(exact), MANIFEST);
    if (!storage.exists(manifestUri)) {
      throw new CheckpointException("checkpoint " + exact + " not found in " + root + " (no " + manifestUri + ")");
    }
    return JSON.readTree(storage.readString(manifestUri));
  }

  private String dir(ModelRef exact) {
    return Storage.join(Storage.join(root, exact.name()), exact.version());
  }

  /** Loads and verifies a checkpoint; a remote registry's files are copied to a temporary folder. */
  public Checkpoint load(ModelRef ref) throws IOException {
    ModelRef exact = resolve(ref);
    String dir = dir(exact);
    JsonNode manifest = manifest(exact);
    verify(dir, manifest, exact.toString());
    boolean local = dir.startsWith("file:");
    Path localDir;
    if (local) {
      localDir = Path.of(new org.apache.hadoop.fs.Path(dir).toUri().getPath());
    } else {
      localDir = Files.createTempDirectory("ying-ckpt-");
      for (var it = manifest.get("files").fieldNames(); it.hasNext(); ) {
        String f = it.next();
        try (InputStream in = storage.open(Storage.join(dir, f))) {
          Files.copy(in, localDir.resolve(f));
        }
      }
      Files.writeString(localDir.resolve(MANIFEST), JSON.writeValueAsString(manifest));
    }
    return new Checkpoint(exact, localDir, manifest, !local);
  }

  private void verify(String dir, JsonNode manifest, String what) throws IOException {
    JsonNode files = manifest.get("files");
    if (files == null || files.isEmpty()) {
      throw new CheckpointException("checkpoint " + what + " is damaged: its manifest lists no files");
    }
    for (var it = files.fields(); it.hasNext(); ) {
      var e = it.next();
      String uri = Storage.join(dir, e.getKey());
      if (!storage.exists(uri)) {
        throw new CheckpointException("checkpoint " + what + " is damaged: " + e.getKey() + " is missing");
      }
      String actual = Hashing.sha256(storage.open(uri));
      if (!actual.equals(e.getValue().asText())) {
        throw new CheckpointException("checkpoint " + what + " is damaged: " + e.getKey() + " has sha256 " + actual
            + ", the manifest says " + e.getValue().asText());
      }
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
