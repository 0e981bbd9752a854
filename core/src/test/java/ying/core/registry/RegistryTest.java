package ying.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.io.Storage;

class RegistryTest {
  @TempDir Path dir;

  private Registry registry() {
    return new Registry(Storage.local(), dir.resolve("models").toString());
  }

  private Path files(String name, String params) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("params.bin"), params);
    Files.writeString(d.resolve("tokenizer.json"), "{\"vocab\": [\"a\"]}");
    return d;
  }

  private static Registry.Publication publication(String parent) {
    return new Registry.Publication("captioner", parent, "file:/data", "abc", Map.of("exact_match", 0.9),
        Registry.JSON.createObjectNode().put("layers", 2), Map.of("command", "ying train-captioner", "seed", 7));
  }

  @Test
  void publishesNumberedVersionsAndMovesLatest() throws Exception {
    Registry r = registry();
    Path one = files("one", "weights-1");
    Files.writeString(one.resolve(".params.bin.crc"), "a checksum Hadoop's local file system left");
    ModelRef first = r.publish(one, publication(null));
    ModelRef second = r.publish(files("two", "weights-2"), publication(first.toString()));
    assertEquals("1", first.version());
    assertEquals("2", second.version());
    assertEquals(List.of("1", "2"), r.versions("captioner"));
    try (Checkpoint latest = r.load(ModelRef.parse("captioner"))) {
      assertEquals(second, latest.ref());
      assertEquals("weights-2", Files.readString(latest.file("params.bin")));
      assertEquals("captioner@1", latest.manifest().get("parent").asText());
      assertEquals(2, latest.config().get("layers").asInt());
      assertEquals(7, latest.manifest().get("seed").asInt());
      assertEquals(0.9, latest.manifest().get("metrics").get("exact_match").asDouble());
      assertEquals(64, latest.manifest().get("files").get("params.bin").asText().length());
    }
    try (Checkpoint old = r.load(ModelRef.parse("captioner@1"))) {
      assertEquals("weights-1", Files.readString(old.file("params.bin")));
      assertTrue(old.manifest().get("parent").isNull());
      assertEquals(2, old.manifest().get("files").size(), "hidden files are not published: " + old.manifest().get("files"));
    }
  }

  @Test
  void refusesADamagedCheckpointNamingTheFile() throws Exception {
    Registry r = registry();
    ModelRef ref = r.publish(files("one", "weights"), publication(null));
    Files.writeString(dir.resolve("models/captioner/1/params.bin"), "tampered");
    CheckpointException e = assertThrows(CheckpointException.class, () -> r.load(ref));
    assertTrue(e.getMessage().contains("params.bin") && e.getMessage().contains("damaged"), e.getMessage());
    Files.writeString(dir.resolve("models/captioner/1/params.bin"), "weights");
    Files.delete(dir.resolve("models/captioner/1/tokenizer.json"));
    e = assertThrows(CheckpointException.class, () -> r.load(ref));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void aLatestRewrittenBehindHadoopsBackStillResolves() throws Exception {
    // A checkout publishes (Hadoop writes .LATEST.crc beside LATEST), then git checks out a newer LATEST.
    Registry r = registry();
    r.publish(files("one", "weights-1"), publication(null));
    r.publish(files("two", "weights-2"), publication("captioner@1"));
    assertTrue(Files.exists(dir.resolve("models/captioner/.LATEST.crc")));
    Files.writeString(dir.resolve("models/captioner/LATEST"), "1\n");
    assertEquals(new ModelRef("captioner", "1"), r.resolve(ModelRef.parse("captioner")));
    try (Checkpoint c = r.load(ModelRef.parse("captioner"))) {
      assertEquals("weights-1", Files.readString(c.file("params.bin")));
    }
  }

  @Test
  void unknownModelsAndVersionsAreClearErrors() throws Exception {
    Registry r = registry();
    CheckpointException e = assertThrows(CheckpointException.class, () -> r.load(ModelRef.parse("vae")));
    assertTrue(e.getMessage().contains("no model 'vae'"), e.getMessage());
    r.publish(files("one", "w"), publication(null));
    e = assertThrows(CheckpointException.class, () -> r.load(ModelRef.parse("captioner@9")));
    assertTrue(e.getMessage().contains("captioner@9"), e.getMessage());
  }

  @Test
  void aFailedPublishLeavesNoVersionBehind() throws Exception {
    Registry r = registry();
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThrows(IllegalArgumentException.class, () -> r.publish(empty, publication(null)));
    assertEquals(List.of(), r.versions("captioner"));
  }

  @Test
  void refsParseWithAndWithoutVersion() {
    assertEquals(new ModelRef("captioner", "3"), ModelRef.parse("captioner@3"));
    assertNull(ModelRef.parse("vae").version());
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("../etc@1"));
  }

  @Test
  void copiesACheckpointWithItsVersionAndManifest() throws Exception {
    Registry release = registry();
    release.publish(files("one", "weights-1"), publication(null));
    release.publish(files("two", "weights-2"), publication("captioner@1"));
    Registry scratch = new Registry(Storage.local(), dir.resolve("scratch").toString());

    Registry.Copy copy = scratch.copyFrom(release, ModelRef.parse("captioner@1"));
    assertEquals(new Registry.Copy(ModelRef.parse("captioner@1"), true), copy);
    assertEquals(new Registry.Copy(ModelRef.parse("captioner@1"), false),
        scratch.copyFrom(release, ModelRef.parse("captioner@1")));
    scratch.copyFrom(release, ModelRef.parse("captioner"));
    try (Checkpoint a = release.load(ModelRef.parse("captioner@2"));
        Checkpoint b = scratch.load(ModelRef.parse("captioner"))) {
      assertEquals(a.ref(), b.ref());
      assertEquals(a.manifest(), b.manifest());
      assertEquals("weights-2", Files.readString(b.file("params.bin")));
    }
    // An older version copied later leaves LATEST where it was.
    Registry other = new Registry(Storage.local(), dir.resolve("other").toString());
    other.copyFrom(release, ModelRef.parse("captioner@2"));
    other.copyFrom(release, ModelRef.parse("captioner@1"));
    assertEquals("captioner@2", other.resolve(ModelRef.parse("captioner")).toString());
    // A version already there with other files is refused, and left alone.
    Registry rival = new Registry(Storage.local(), dir.resolve("rival").toString());
    rival.publish(files("three", "weights-3"), publication(null));
    assertThrows(CheckpointException.class, () -> scratch.copyFrom(rival, ModelRef.parse("captioner@1")));
    try (Checkpoint kept = scratch.load(ModelRef.parse("captioner@1"))) {
      assertEquals("weights-1", Files.readString(kept.file("params.bin")));
    }
  }
}
