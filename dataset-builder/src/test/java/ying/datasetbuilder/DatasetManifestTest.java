package ying.datasetbuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetManifestTest {
  @Test
  void hashingGroupsBalanceBytesAndHoldEveryFileOnce() {
    Map<String, Long> sizes = new LinkedHashMap<>();
    // Sorted by name, as a listing is: the large train shards first, then small val ones.
    sizes.put("train/a", 90L);
    sizes.put("train/b", 85L);
    sizes.put("train/c", 60L);
    sizes.put("val/a", 30L);
    sizes.put("val/b", 20L);
    sizes.put("val/c", 5L);
    List<LinkedHashMap<String, Long>> two = DatasetManifest.bins(sizes, 2);
    // 145 bytes each, where the listing cut in two would give 235 and 55.
    assertEquals(List.of(List.of("train/a", "val/a", "val/b", "val/c"), List.of("train/b", "train/c")),
        two.stream().map(bin -> List.copyOf(bin.keySet())).toList());
    assertEquals(Map.of("train/a", 90L, "val/a", 30L, "val/b", 20L, "val/c", 5L), two.get(0), "sizes go with the files");
    assertEquals(List.of(sizes), DatasetManifest.bins(sizes, 1));
    assertEquals(6, DatasetManifest.bins(sizes, 64).size(), "never more groups than files");
    assertEquals(List.of(), DatasetManifest.bins(Map.of(), 4), "no shards, no task");
  }
}
