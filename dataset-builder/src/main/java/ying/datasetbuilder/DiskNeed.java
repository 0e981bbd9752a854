package ying.datasetbuilder;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import ying.core.dataset.Bucket;

/**
 * Whether the local disks can hold a build. Between its passes a build keeps every decoded clip's
 * frames in {@code spark.local.dir}, and its shards hold them again; a build that runs out of room
 * fails after its longest stage, so an embedded build says up front when the disks look too small.
 * The estimate is an upper bound: every clip at its largest bucket, before compression.
 */
final class DiskNeed {
  private DiskNeed() {}

  /** A place a build writes to, the bytes it may write there, and the file system it is on. */
  record Use(String what, Path path, long bytes) {}

  /** Bytes one clip's frames take at most: those of the largest bucket. */
  static long clipBytes(List<Bucket> buckets) {
    return buckets.stream().mapToLong(Bucket::bytes).max().orElse(0);
  }

  /**
   * The local paths an embedded build writes its frames to: each {@code spark.local.dir} (comma
   * separated; Spark's default is the JVM's temporary folder) for the persisted clips, and the output
   * when it is on the local file system (no scheme or {@code file:}).
   */
  static List<Use> uses(String localDirs, String out, long frameBytes) {
    List<Use> uses = new ArrayList<>();
    String[] dirs = (localDirs == null || localDirs.isBlank() ? System.getProperty("java.io.tmpdir") : localDirs)
        .split(",");
    for (String d : dirs) {
      // Spark spreads the persisted blocks over its local dirs.
      uses.add(new Use("spark.local.dir", Path.of(d.trim()), frameBytes / dirs.length));
    }
    URI u = URI.create(out.replace(" ", "%20"));
    if (u.getScheme() == null || "file".equals(u.getScheme())) {
      uses.add(new Use("the output", Path.of(u.getScheme() == null ? out : u.getPath()), frameBytes));
    }
    return uses;
  }

  /**
   * A warning per file system whose usable space is below what the uses on it need together, or
   * empty. A path that does not exist yet is measured at its nearest existing parent.
   */
  static List<String> warnings(List<Use> uses, long clips) {
    Map<FileStore, List<Use>> byStore = new LinkedHashMap<>();
    Map<FileStore, Long> free = new LinkedHashMap<>();
    for (Use use : uses) {
      Optional<Path> existing = nearestExisting(use.path());
      if (existing.isEmpty()) {
        continue;
      }
      try {
        FileStore store = Files.getFileStore(existing.get());
        byStore.computeIfAbsent(store, s -> new ArrayList<>()).add(use);
        free.put(store, store.getUsableSpace());
      } catch (IOException e) {
        // A disk that cannot be measured is not worth failing the build over.
      }
    }
    List<String> out = new ArrayList<>();
    byStore.forEach((store, onIt) -> {
      long need = onIt.stream().mapToLong(Use::bytes).sum();
      if (need > free.get(store)) {
        List<String> parts = onIt.stream().map(x -> x.what() + " (" + x.path() + ")").toList();
        out.add(String.format(Locale.ROOT, "the frames of up to %d clips may take %s on %s, which has %s free;"
            + " compression usually saves part of it, but give it room or build fewer videos at a time"
            + " (--max-videos)", clips, size(need), String.join(" and ", parts), size(free.get(store))));
      }
    });
    return out;
  }

  private static Optional<Path> nearestExisting(Path p) {
    for (Path q = p.toAbsolutePath(); q != null; q = q.getParent()) {
      if (Files.exists(q)) {
        return Optional.of(q);
      }
    }
    return Optional.empty();
  }

  static String size(long bytes) {
    return bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
        : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
