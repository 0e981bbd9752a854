package ying.datasetbuilder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StructField;
import ying.core.dataset.Bucket;
import ying.core.dataset.DatasetLayout;
import ying.core.io.Hashing;
import ying.core.io.Storage;
import ying.core.spark.HadoopConf;

/**
 * The dataset's manifest, written last: row counts, schema version, source and settings, and the
 * sha256 of every shard plus one content hash over the rows they hold. Its presence is what makes a
 * folder a finished, immutable dataset.
 */
final class DatasetManifest {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DatasetManifest() {}

  /** A snapshot id of a table: a hash of its data files' names, sizes and modification times. */
  static String snapshot(Storage storage, String table) throws IOException {
    List<String> parts = new ArrayList<>();
    for (String f : storage.listFiles(table)) {
      String name = Storage.fileName(f);
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      var st = storage.statusOrNull(f);
      parts.add(f.substring(Storage.normalise(table).length()) + ":" + st.getLen() + ":" + st.getModificationTime());
    }
    return ClipProcessor.hex(ClipProcessor.sha256(String.join("\n", parts)), 8);
  }

  /**
   * A sha256 over the rows the shards hold, every column of each, taken in the order of the rows' own
   * hashes. Two builds of the same input agree: the shard files' names carry Spark's job id and the
   * order of rows inside a shard is not fixed, so a hash over the files' bytes differed on every build.
   */
  static String contentHash(SparkSession spark, String root) {
    Dataset<Row> rows = spark.read().parquet(root);
    Column[] fields = java.util.Arrays.stream(rows.schema().fields())
        .sorted(java.util.Comparator.comparing(StructField::name))
        .map(f -> f.dataType() instanceof BinaryType
            ? functions.sha2(functions.col(f.name()), 256)
            : functions.to_json(functions.struct(functions.col(f.name()))))
        .toArray(Column[]::new);
    Dataset<Row> hashes = rows.select(functions.sha2(functions.concat_ws("\n", fields).cast("binary"), 256)
        .as("row_sha256")).orderBy("row_sha256");
    java.security.MessageDigest digest = Hashing.newSha256();
    hashes.toLocalIterator().forEachRemaining(r -> {
      digest.update(r.getString(0).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      digest.update((byte) '\n');
    });
    return ClipProcessor.hex(digest.digest(), 32);
  }

  /**
   * Every shard file's size, sha256 and row count (from its Parquet footer), computed by the
   * executors; sorted by path. The row counts are what the shards hold, read back without a Spark
   * job of their own.
   */
  static List<Map<String, Object>> fileHashes(SparkSession spark, Storage storage, DatasetLayout layout)
      throws IOException {
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (Map.Entry<String, Long> f : storage.listFileSizes(layout.root()).entrySet()) {
      String rel = f.getKey().substring(layout.root().length() + 1);
      if (rel.startsWith("split=") && f.getKey().endsWith(".parquet")) {
        sizes.put(f.getKey(), f.getValue());
      }
    }
    HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    String root = layout.root();
    List<LinkedHashMap<String, Long>> bins = bins(sizes, spark.sparkContext().defaultParallelism());
    List<Map<String, Object>> out = new ArrayList<>(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(bins, Math.max(1, bins.size()))
        .flatMap(bin -> {
          Storage s = hadoop.storage();
          List<Map<String, Object>> entries = new ArrayList<>();
          for (Map.Entry<String, Long> file : bin.entrySet()) {
            String f = file.getKey();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", f.substring(root.length() + 1));
            entry.put("bytes", file.getValue());
            entry.put("sha256", Hashing.sha256(s.open(f)));
            try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(f),
                hadoop.toConfiguration()))) {
              entry.put("rows", footer.getRecordCount());
            }
            entries.add(entry);
          }
          return entries.iterator();
        }).collect());
    out.sort(java.util.Comparator.comparing(m -> (String) m.get("path")));
    return out;
  }

  /**
   * The files and their sizes in at most {@code tasks} groups of about equal bytes, largest file
   * first into the lightest group: one group per task keeps every core hashing until the end. In
   * slices of the sorted listing, one core hashed a large train shard alone after the other had done
   * the val shards; one task per file costs more in task overhead than it saves on one core.
   */
  static List<LinkedHashMap<String, Long>> bins(Map<String, Long> sizes, int tasks) {
    int n = Math.max(1, Math.min(tasks, sizes.size()));
    List<LinkedHashMap<String, Long>> bins = new ArrayList<>();
    long[] load = new long[n];
    for (int i = 0; i < n; i++) {
      bins.add(new LinkedHashMap<>());
    }
    List<Map.Entry<String, Long>> files = new ArrayList<>(sizes.entrySet());
    files.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    for (Map.Entry<String, Long> f : files) {
      int lightest = 0;
      for (int i = 1; i < n; i++) {
        if (load[i] < load[lightest]) {
          lightest = i;
        }
      }
      bins.get(lightest).put(f.getKey(), f.getValue());
      load[lightest] += f.getValue();
    }
    bins.removeIf(Map::isEmpty);
    return bins;
  }

  /** Rows of (split, bucket, count) from {@link #fileHashes}' entries, ordered by split and bucket. */
  static List<Row> countsBySplitAndBucket(List<Map<String, Object>> files) {
    Map<List<String>, Long> counts = new java.util.TreeMap<>(java.util.Comparator
        .<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
    for (Map<String, Object> f : files) {
      String split = null;
      String bucket = null;
      for (String part : ((String) f.get("path")).split("/")) {
        if (part.startsWith("split=")) {
          split = unescape(part.substring("split=".length()));
        } else if (part.startsWith("bucket=")) {
          bucket = unescape(part.substring("bucket=".length()));
        }
      }
      if (split == null || bucket == null) {
        throw new IllegalStateException("a shard outside split=/bucket= folders: " + f.get("path"));
      }
      counts.merge(List.of(split, bucket), ((Number) f.get("rows")).longValue(), Long::sum);
    }
    List<Row> out = new ArrayList<>();
    counts.forEach((k, n) -> out.add(RowFactory.create(k.get(0), k.get(1), n)));
    return out;
  }

  /** Spark writes a partition value's reserved characters as %XX in its folder name. */
  static String unescape(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' && i + 2 < name.length() && Character.digit(name.charAt(i + 1), 16) >= 0
          && Character.digit(name.charAt(i + 2), 16) >= 0) {
        out.append((char) Integer.parseInt(name.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static Map<String, Object> build(String command, List<DatasetBuild.Source> sources, BuildConfig config,
      List<Row> countsBySplitAndBucket, BuildReport report, List<Map<String, Object>> files, String contentHash) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", DatasetLayout.SCHEMA_VERSION);
    m.put("created_at", Instant.now().toString());
    m.put("command", command);
    List<Map<String, Object>> tables = new ArrayList<>();
    for (DatasetBuild.Source s : sources) {
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("table", s.table());
      source.put("snapshot", s.snapshot());
      tables.add(source);
    }
    // "source" (the first table) is what readers of a one-table build know; "sources" lists them all, in order.
    m.put("source", tables.get(0));
    m.put("sources", tables);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("buckets", config.buckets().stream().map(Bucket::name).toList());
    settings.put("val_fraction", config.valFraction());
    settings.put("filters", config.enabled().stream().map(Filter::key).sorted().toList());
    settings.put("min_clip_s", config.minClipSeconds());
    settings.put("min_caption_words", config.minCaptionWords());
    settings.put("blocked_words", config.blockedWords().size());
    settings.put("static_below", config.staticBelow());
    settings.put("fast_above", config.fastAbove());
    settings.put("flash_jump", config.flashJump());
    settings.put("flash_fraction", config.flashFraction());
    settings.put("duplicate_bits", config.duplicateBits());
    settings.put("duplicate_hash", DatasetBuild.DUPLICATE_SCHEME);
    settings.put("shard_target_bytes", config.shardTargetBytes());
    settings.put("max_videos", config.maxVideos());
    m.put("settings", settings);
    Map<String, Object> rows = new LinkedHashMap<>();
    long total = 0;
    Map<String, Long> bySplit = new LinkedHashMap<>();
    Map<String, Long> byBucket = new LinkedHashMap<>();
    for (Row r : countsBySplitAndBucket) {
      long n = r.getLong(2);
      total += n;
      bySplit.merge(r.getString(0), n, Long::sum);
      byBucket.put(r.getString(0) + "/" + r.getString(1), n);
    }
    rows.put("total", total);
    rows.put(DatasetLayout.TRAIN, bySplit.getOrDefault(DatasetLayout.TRAIN, 0L));
    rows.put(DatasetLayout.VAL, bySplit.getOrDefault(DatasetLayout.VAL, 0L));
    rows.put("by_split_and_bucket", byBucket);
    m.put("rows", rows);
    m.put("input_clips", report.input());
    m.put("errors", report.errors());
    Map<String, Long> removed = new LinkedHashMap<>();
    report.removed().forEach(e -> removed.put(e.getKey(), e.getValue()));
    m.put("removed", removed);
    m.put("files", files);
    m.put("content_sha256", contentHash);
    return m;
  }
}
