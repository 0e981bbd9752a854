package ying.core.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import ying.core.io.Storage;

/**
 * Streams a built dataset's shards as batches, one Parquet row at a time, so a trainer never holds
 * more than a batch (plus a shuffle window) in memory however large the dataset. Batches never
 * mix buckets, so each one is a single dense tensor.
 */
public final class ShardReader implements Iterable<DatasetBatch> {
  private final Storage storage;
  private final DatasetLayout layout;
  private final String split;
  private final String bucket;
  private final int batchSize;
  private final long shuffleSeed;
  private final int shuffleWindow;

  /**
   * @param bucket a bucket name such as {@code 96x64x49@8}, or null for all buckets of the split
   * @param shuffleSeed negative for file order; otherwise shards are visited in a seeded order
   *     and rows shuffled within a window of {@code shuffleWindow} rows
   */
  public ShardReader(Storage storage, String datasetUri, String split, String bucket, int batchSize,
      long shuffleSeed, int shuffleWindow) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive");
    }
    this.storage = storage;
    this.layout = new DatasetLayout(datasetUri);
    this.split = split;
    this.bucket = bucket;
    this.batchSize = batchSize;
    this.shuffleSeed = shuffleSeed;
    this.shuffleWindow = Math.max(1, shuffleWindow);
  }

  /** The shard files this reader visits, grouped by bucket folder, in visiting order. */
  public List<List<String>> shardsByBucket() {
    String dir = bucket == null ? layout.split(split) : layout.bucket(split, bucket);
    List<String> files = new ArrayList<>();
    try {
      if (storage.exists(dir)) {
        for (String f : storage.listFiles(dir)) {
          String name = Storage.fileName(f);
          if (name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_")) {
            files.add(f);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    java.util.Map<String, List<String>> byBucket = new java.util.TreeMap<>();
    for (String f : files) {
      byBucket.computeIfAbsent(f.substring(0, f.lastIndexOf('/')), k -> new ArrayList<>()).add(f);
    }
    List<List<String>> groups = new ArrayList<>(byBucket.values());
    if (shuffleSeed >= 0) {
      Random rng = new Random(shuffleSeed);
      groups.forEach(g -> Collections.shuffle(g, rng));
      Collections.shuffle(groups, rng);
    }
    return groups;
  }

  /** The bucket of each group that {@link #shardsByBucket} returns, by name (e.g. {@code 96x64x49@8}), in its order. */
  public List<String> bucketNames() {
    return shardsByBucket().stream()
        .map(g -> Storage.fileName(g.get(0).substring(0, g.get(0).lastIndexOf('/'))).replaceFirst("^bucket=", ""))
        .toList();
  }

  @Override
  public Iterator<DatasetBatch> iterator() {
    return new BatchIterator(shardsByBucket());
  }

  private record Row(String clipId, String caption, int frames, int height, int width, byte[] pixels, byte[] latents,
      int[] latentShape) {}

  private final class BatchIterator implements Iterator<DatasetBatch> {
    private final Iterator<List<String>> buckets;
    private Iterator<String> files = Collections.emptyIterator();
    private ParquetReader<Group> reader;
    private final List<Row> window = new ArrayList<>();
    private final Random rng = new Random(Math.max(0, shuffleSeed) + 1);
    private boolean bucketDrained = true;
    private DatasetBatch next;

    BatchIterator(List<List<String>> groups) {
      this.buckets = groups.iterator();
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public DatasetBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      DatasetBatch b = next;
      next = null;
      return b;
    }

    private DatasetBatch advance() {
      try {
        while (true) {
          fill();
          if (window.size() >= batchSize || (bucketDrained && !window.isEmpty())) {
            return take();
          }
          if (bucketDrained && !buckets.hasNext()) {
            return null;
          }
          if (bucketDrained) {
            files = buckets.next().iterator();
            bucketDrained = false;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Tops the window up from the current bucket's files; marks the bucket drained when they end. */
    private void fill() throws IOException {
      int want = Math.max(batchSize, shuffleSeed >= 0 ? shuffleWindow : batchSize);
      while (!bucketDrained && window.size() < want) {
        if (reader == null) {
          if (!files.hasNext()) {
            bucketDrained = true;
            return;
          }
          reader = ParquetReader.builder(new GroupReadSupport(), new Path(Storage.normalise(files.next())))
              .withConf(storage.conf()).build();
        }
        Group g = reader.read();
        if (g == null) {
          reader.close();
          reader = null;
          continue;
        }
        boolean latents = g.getType().containsField("latents");
        window.add(new Row(g.getString("clip_id", 0), g.getString("caption", 0), g.getInteger("num_frames", 0),
            g.getInteger("height", 0), g.getInteger("width", 0), g.getBinary("frames", 0).getBytes(),
            latents ? g.getBinary("latents", 0).getBytes() : null, latents ? intList(g, "latent_shape") : null));
      }
    }

    /** A Parquet LIST of int32 as Spark writes it: {@code group (LIST) { repeated group list { int32 element } }}. */
    private static int[] intList(Group g, String field) {
      Group list = g.getGroup(field, 0);
      int n = list.getFieldRepetitionCount("list");
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = list.getGroup("list", i).getInteger("element", 0);
      }
      return out;
    }

    private DatasetBatch take() {
      int n = Math.min(batchSize, window.size());
      List<Row> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int at = shuffleSeed >= 0 ? rng.nextInt(window.size()) : 0;
        rows.add(window.remove(at));
      }
      Row first = rows.get(0);
      int clipBytes = first.frames() * first.height() * first.width() * 3;
      byte[] pixels = new byte[clipBytes * n];
      List<String> ids = new ArrayList<>(n);
      List<String> captions = new ArrayList<>(n);
      boolean withLatents = first.latents() != null;
      int latentBytes = withLatents ? first.latents().length : 0;
      byte[] latents = withLatents ? new byte[latentBytes * n] : null;
      for (int i = 0; i < n; i++) {
        Row r = rows.get(i);
        if (withLatents) {
          if (r.latents() == null || r.latents().length != latentBytes) {
            throw new IllegalStateException("clip " + r.clipId() + " has latents of another shape than its bucket's;"
                + " the dataset is damaged");
          }
          System.arraycopy(r.latents(), 0, latents, i * latentBytes, latentBytes);
        }
        if (r.pixels().length != clipBytes) {
          throw new IllegalStateException("clip " + r.clipId() + " has " + r.pixels().length + " bytes, its bucket "
              + clipBytes + "; the dataset is damaged");
        }
        System.arraycopy(r.pixels(), 0, pixels, i * clipBytes, clipBytes);
        ids.add(r.clipId());
        captions.add(r.caption());
      }
      return new DatasetBatch(ids, captions, first.frames(), first.height(), first.width(), pixels, latents,
          withLatents ? first.latentShape() : null);
    }
  }
}
