package ying.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import ying.core.io.Storage;

/**
 * The checkout's default registry, {@code models/}, as the commands load it out of the box: within
 * its 64 MiB budget, every version intact and accounted for by its manifest, and models/README.md
 * with a section for every version that says which one is LATEST.
 */
class ReleaseRegistryTest {
  static final Path MODELS = Path.of("").toAbsolutePath().getParent().resolve("models");
  static final long BUDGET = 64L << 20;

  @Test
  void fitsTheBudget() throws IOException {
    long bytes;
    try (Stream<Path> files = Files.walk(MODELS)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    assertTrue(bytes <= BUDGET, "models/ holds " + bytes + " bytes, the budget is " + BUDGET);
  }

  @Test
  void everyVersionLoadsAndItsManifestNamesEveryFileAndHowItWasMade() throws IOException {
    Registry registry = new Registry(Storage.local(), MODELS.toString());
    List<String> checked = new ArrayList<>();
    for (String name : names()) {
      String latest = registry.resolve(ModelRef.parse(name)).version();
      List<String> versions = registry.versions(name);
      assertTrue(versions.contains(latest), name + "/LATEST names " + latest + ", not one of " + versions);
      for (String v : versions) {
        try (Checkpoint ckpt = registry.load(new ModelRef(name, v))) {
          JsonNode m = ckpt.manifest();
          assertEquals(name, m.get("name").asText());
          assertEquals(v, m.get("version").asText());
          for (String field : List.of("command", "seed", "metrics", "training_data")) {
            assertTrue(m.hasNonNull(field), name + "@" + v + "'s manifest has no " + field);
          }
          Set<String> listed = new TreeSet<>();
          m.get("files").fieldNames().forEachRemaining(listed::add);
          listed.add(Registry.MANIFEST);
          Set<String> present = new TreeSet<>();
          try (Stream<Path> files = Files.list(MODELS.resolve(name).resolve(v))) {
            // Hadoop's checksum side files (.NAME.crc) appear where a checkout published; git ignores them.
            files.map(f -> f.getFileName().toString()).filter(f -> !(f.startsWith(".") && f.endsWith(".crc")))
                .forEach(present::add);
          }
          assertEquals(listed, present, name + "@" + v + ": files on disk against its manifest");
        }
        checked.add(name + "@" + v);
      }
    }
    assertFalse(checked.isEmpty());
  }

  @Test
  void theReadmeHasASectionForEveryVersionAndMarksTheLatest() throws IOException {
    String readme = Files.readString(MODELS.resolve("README.md"));
    Registry registry = new Registry(Storage.local(), MODELS.toString());
    Set<String> marked = new TreeSet<>();
    Matcher heading = Pattern.compile("(?m)^## (\\w+@\\d+)( \\(LATEST\\))?$").matcher(readme);
    Set<String> sections = new TreeSet<>();
    while (heading.find()) {
      sections.add(heading.group(1));
      if (heading.group(2) != null) {
        marked.add(heading.group(1));
      }
    }
    Set<String> latest = new TreeSet<>();
    for (String name : names()) {
      latest.add(name + "@" + registry.resolve(ModelRef.parse(name)).version());
      for (String v : registry.versions(name)) {
        assertTrue(sections.contains(name + "@" + v), "models/README.md has no \"## " + name + "@" + v + "\"");
      }
    }
    assertEquals(latest, marked, "the sections headed (LATEST)");
  }

  private static List<String> names() throws IOException {
    try (Stream<Path> dirs = Files.list(MODELS)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
