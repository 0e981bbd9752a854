package ying.datasetbuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import ying.core.dataset.Bucket;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.spark.HadoopConf;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;

/**
 * {@code build-dataset --vae}: each shard row also gets its clip's VAE latents, so DiT training
 * never touches pixels. The latents are the posterior mean {@code [C, 1+k, H/8, W/8]} as float16,
 * little-endian, with their shape and the exact VAE version beside them.
 *
 * <p>Each task loads the VAE from the registry URI itself: executors never depend on a path that
 * only the driver can see.
 */
public final class VaeLatents implements MapPartitionsFunction<Row, Row> {
  public static final String LATENTS = "latents";
  public static final String LATENT_SHAPE = "latent_shape";
  public static final String VAE = "vae";

  private final String registry;
  private final String exact;
  private final HadoopConf hadoop;

  private VaeLatents(String registry, ModelRef exact, HadoopConf hadoop) {
    this.registry = registry;
    this.exact = exact.toString();
    this.hadoop = hadoop;
  }

  /**
   * Resolves {@code ref} to its exact version (so every task encodes with the same weights, even if
   * a newer one is published mid-job) and checks each bucket fits the VAE before any work starts.
   */
  public static ModelRef resolve(HadoopConf hadoop, String registry, String ref, List<Bucket> buckets)
      throws IOException {
    Registry r = new Registry(hadoop.storage(), registry);
    try (Checkpoint ckpt = r.load(ModelRef.parse(ref))) {
      VaeConfig c = VaeConfig.fromJson(ckpt.config());
      for (Bucket b : buckets) {
        int f = c.spatialFactor();
        if (b.width() % f != 0 || b.height() % f != 0 || (b.frames() - 1) % c.temporalFactor() != 0) {
          throw new IllegalArgumentException("bucket " + b.name() + " does not fit VAE " + ckpt.ref() + ": it takes "
              + "1+" + c.temporalFactor() + "k frames of multiples of " + f + " pixels");
        }
      }
      return ckpt.ref();
    }
  }

  /** {@code rows} (shard rows with {@code frames, num_frames, height, width}) plus the three latent columns. */
  public static Dataset<Row> add(Dataset<Row> rows, String registry, ModelRef exact, HadoopConf hadoop) {
    StructType schema = rows.schema()
        .add(LATENTS, DataTypes.BinaryType, false)
        .add(LATENT_SHAPE, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
        .add(VAE, DataTypes.StringType, false);
    return rows.mapPartitions(new VaeLatents(registry, exact, hadoop), Encoders.row(schema));
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws Exception {
    if (!rows.hasNext()) {
      return rows;
    }
    VaeModel vae;
    try (Checkpoint ckpt = new Registry(hadoop.storage(), registry).load(ModelRef.parse(exact))) {
      vae = VaeModel.load(ckpt);
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = rows.hasNext();
        if (!more) {
          vae.close();
        }
        return more;
      }

      @Override
      public Row next() {
        Row r = rows.next();
        int t = r.getInt(r.fieldIndex("num_frames"));
        int h = r.getInt(r.fieldIndex("height"));
        int w = r.getInt(r.fieldIndex("width"));
        byte[] frames = r.getAs("frames");
        try {
          VaeModel.HalfLatents latents = vae.encodeMeansAsHalf(frames, t, h, w);
          List<Integer> dims = new ArrayList<>();
          for (int d : latents.clipShape()) {
            dims.add(d);
          }
          Object[] values = new Object[r.size() + 3];
          for (int i = 0; i < r.size(); i++) {
            values[i] = r.get(i);
          }
          values[r.size()] = latents.bytes();
          values[r.size() + 1] = scala.jdk.javaapi.CollectionConverters.asScala(dims).toSeq();
          values[r.size() + 2] = exact;
          return RowFactory.create(values);
        } catch (RuntimeException e) {
          throw new IllegalStateException("cannot encode clip " + r.getAs("clip_id") + " with " + exact + ": "
              + e.getMessage(), e);
        }
      }
    };
  }

  /** Float16 little-endian bytes back to floats (for readers and tests). */
  public static float[] halfToFloats(byte[] half) {
    if (half.length % 2 != 0) {
      throw new UncheckedIOException(new IOException("float16 data of odd length " + half.length));
    }
    float[] out = new float[half.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = halfToFloat((half[2 * i] & 0xff) | ((half[2 * i + 1] & 0xff) << 8));
    }
    return out;
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13)); // infinity or NaN
    }
    if (exponent == 0) {
      float subnormal = mantissa * 0x1p-24f;
      return sign == 0 ? subnormal : -subnormal;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
