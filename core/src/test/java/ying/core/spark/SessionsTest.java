package ying.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void embeddedRunsLayerDefaultsThenTheLocalProfileThenEachConfFileInOrder() throws IOException {
    Path confDir = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(confDir.resolve(Sessions.LOCAL_PROFILE), "spark.sql.shuffle.partitions = 8\nspark.ui.enabled = true\n");
    String s3 = file("s3.properties", "spark.hadoop.fs.s3a.endpoint = http://a\nspark.sql.shuffle.partitions = 16\n").toString();
    String gpu = file("gpu.properties", "spark.hadoop.fs.s3a.endpoint = http://b\n").toString();

    Sessions.Settings s = Sessions.settings(null, List.of(s3, gpu), false, confDir);

    assertEquals(Sessions.EMBEDDED_MASTER, s.master());
    Map<String, String> conf = s.conf();
    assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"), "embedded default");
    assertEquals("true", conf.get("spark.ui.enabled"), "the profile overrides an embedded default");
    assertEquals("16", conf.get("spark.sql.shuffle.partitions"), "a --conf file overrides the profile");
    assertEquals("http://b", conf.get("spark.hadoop.fs.s3a.endpoint"), "a later --conf file wins");
  }

  @Test
  void aClusterMasterGetsNeitherTheEmbeddedDefaultsNorTheLocalProfile() throws IOException {
    Path confDir = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(confDir.resolve(Sessions.LOCAL_PROFILE), "spark.sql.shuffle.partitions = 8\n");

    Sessions.Settings s = Sessions.settings("spark://h:7077", List.of(), false, confDir);

    assertEquals("spark://h:7077", s.master());
    assertTrue(s.conf().isEmpty(), s.conf().toString());
    assertEquals("8", Sessions.settings("local[2]", List.of(), false, confDir).conf().get("spark.sql.shuffle.partitions"));
  }

  @Test
  void theCommandLineMasterBeatsAConfFilesAndAFilesMasterIsUsedWithoutIt() throws IOException {
    String f = file("m.properties", "spark.master = local[3]\n").toString();
    Sessions.Settings cli = Sessions.settings("spark://h:7077", List.of(f), false, null);
    assertEquals("spark://h:7077", cli.master());
    assertFalse(cli.conf().containsKey("spark.master"), cli.conf().toString());
    Sessions.Settings file = Sessions.settings(null, List.of(f), false, null);
    assertNull(file.master());
    assertEquals("local[3]", file.conf().get("spark.master"));
    assertEquals("127.0.0.1", file.conf().get("spark.driver.host"), "a file's local master is embedded too");
  }

  @Test
  void underSparkSubmitTheSubmitterChoosesTheMasterAndOnlyConfFilesApply() throws IOException {
    String f = file("x.properties", "spark.executor.memory = 1g\n").toString();
    Sessions.Settings s = Sessions.settings(null, List.of(f), true, dir.resolve("missing"));
    assertNull(s.master());
    assertEquals(Map.of("spark.executor.memory", "1g"), s.conf());
  }

  @Test
  void aMissingConfFileIsAClearError() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Sessions.settings(null, List.of(dir.resolve("nope.properties").toString()), false, null));
    assertTrue(e.getMessage().contains("nope.properties"), e.getMessage());
  }

  @Test
  void onlyAClusterJobWithoutRegistryIsWarned() {
    String w = Sessions.defaultRegistryWarning("caption", null, false, "/home/me/ying/models");
    assertTrue(w.contains("/home/me/ying/models") && w.contains("--registry"), w);
    assertNull(Sessions.defaultRegistryWarning("caption", null, true, "/home/me/ying/models"));
    assertNull(Sessions.defaultRegistryWarning("caption", "s3a://b/models", false, "/home/me/ying/models"));
  }

  @Test
  void theShippedConfFilesParse() {
    Path conf = Path.of(System.getProperty("ying.home", ".."), "conf");
    for (String f : List.of("spark-local.properties", "spark-cluster.properties", "gpu.properties", "s3.properties")) {
      assertFalse(Sessions.load(conf.resolve(f).toString()).isEmpty(), f);
    }
    assertEquals("1", Sessions.load(conf.resolve("gpu.properties").toString()).get("spark.task.resource.gpu.amount"));
  }
}
