package ying.datasetbuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import ying.core.dataset.Bucket;

class BuildDatasetCommandTest {
  private static BuildConfig parse(String... args) throws Exception {
    BuildDatasetCommand cmd = new BuildDatasetCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.config();
  }

  @Test
  void defaultsComeFromBuildConfig() throws Exception {
    assertEquals(BuildConfig.defaults(), parse("--clips", "c", "--out", "o"));
  }

  @Test
  void optionsOverrideDefaultsAndFiltersSwitchOff() throws Exception {
    BuildConfig c = parse("--clips", "c", "--out", "o", "--bucket", "48x32x9@4", "--bucket", "48x32x17@4",
        "--disable-filter", "duplicate", "--disable-filter", "too-fast", "--val-fraction", "0.25", "--shard-mb", "8");
    assertEquals(List.of(Bucket.parse("48x32x17@4"), Bucket.parse("48x32x9@4")), c.buckets(), "longest first");
    assertFalse(c.on(Filter.DUPLICATE));
    assertFalse(c.on(Filter.TOO_FAST));
    assertTrue(c.on(Filter.STATIC));
    assertEquals(0.25, c.valFraction());
    assertEquals(8L << 20, c.shardTargetBytes());
  }

  @Test
  void unknownFilterNamesTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse("--clips", "c", "--out", "o", "--disable-filter", "blurry"));
    assertTrue(e.getMessage().contains("too_short"), e.getMessage());
  }
}
