package ying.core.dataset;

import ying.core.io.Storage;

/**
 * Where a built dataset keeps its parts: Parquet shards under {@code split=<s>/bucket=<b>/}, the
 * manifest, the report and the error rows beside them. The dataset builder writes this layout and
 * the trainer reads it; both name its parts through here.
 */
public final class DatasetLayout {
  /** Bumped whenever the row schema changes in a way readers must know about. */
  public static final int SCHEMA_VERSION = 1;

  public static final String TRAIN = "train";
  public static final String VAL = "val";

  private final String root;

  public DatasetLayout(String root) {
    this.root = Storage.normalise(root);
  }

  public String root() {
    return root;
  }

  public String manifest() {
    return Storage.join(root, "_manifest.json");
  }

  public String report() {
    return Storage.join(root, "_report.json");
  }

  public String reportPng() {
    return Storage.join(root, "_report.png");
  }

  public String errors() {
    return Storage.join(root, "_errors");
  }

  public String split(String split) {
    return Storage.join(root, "split=" + split);
  }

  public String bucket(String split, String bucket) {
    return Storage.join(split(split), "bucket=" + bucket);
  }
}
