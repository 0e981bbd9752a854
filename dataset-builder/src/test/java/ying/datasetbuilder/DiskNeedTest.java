package ying.datasetbuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.dataset.Bucket;

class DiskNeedTest {
  @TempDir
  Path tmp;

  @Test
  void aClipTakesItsLargestBucket() {
    assertEquals(96 * 64 * 49 * 3, DiskNeed.clipBytes(List.of(Bucket.parse("96x64x17@8"), Bucket.parse("96x64x49@8"))));
  }

  @Test
  void framesGoToEveryLocalDirAndToALocalOutput() {
    List<DiskNeed.Use> uses = DiskNeed.uses("/a, /b", "file:/data/out", 1000);
    assertEquals(List.of(new DiskNeed.Use("spark.local.dir", Path.of("/a"), 500),
        new DiskNeed.Use("spark.local.dir", Path.of("/b"), 500), new DiskNeed.Use("the output", Path.of("/data/out"),
            1000)), uses);
    assertEquals(1, DiskNeed.uses(null, "s3a://bucket/out", 1000).size(), "an S3 output takes no local disk");
  }

  @Test
  void warnsOnlyWhenTheUsesOnOneDiskOutgrowItsFreeSpace() {
    Path notYet = tmp.resolve("out/not/yet"); // measured at its nearest existing parent
    long free = tmp.toFile().getUsableSpace();
    assertTrue(DiskNeed.warnings(List.of(new DiskNeed.Use("spark.local.dir", tmp, 1000),
        new DiskNeed.Use("the output", notYet, 1000)), 3).isEmpty());
    // Each half fits; together they do not, and the warning names both.
    List<String> w = DiskNeed.warnings(List.of(new DiskNeed.Use("spark.local.dir", tmp, free * 3 / 4),
        new DiskNeed.Use("the output", notYet, free * 3 / 4)), 7);
    assertEquals(1, w.size(), w.toString());
    assertTrue(w.get(0).contains("spark.local.dir (" + tmp + ") and the output (" + notYet + ")"), w.get(0));
    assertTrue(w.get(0).contains("up to 7 clips") && w.get(0).contains("--max-videos"), w.get(0));
  }
}
