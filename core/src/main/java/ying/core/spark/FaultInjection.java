package ying.core.spark;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Deliberate task failures for testing recovery, switched on through Spark conf only:
 * {@code spark.ying.fault.failFirstAttempt = <partition>:<rows>} makes the first attempt of that
 * partition's task die after passing {@code rows} rows downstream (mid-write when placed just
 * before a write). Spark retries the task; the committed output must not change. Off by default.
 */
public final class FaultInjection implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String KEY = "spark.ying.fault.failFirstAttempt";

  private final int partition;
  private final long afterRows;

  private FaultInjection(int partition, long afterRows) {
    this.partition = partition;
    this.afterRows = afterRows;
  }

  /** The configured fault, or one that never fires. */
  public static FaultInjection from(SparkConf conf) {
    String spec = conf.get(KEY, "");
    if (spec.isBlank()) {
      return new FaultInjection(-1, 0);
    }
    String[] parts = spec.split(":");
    if (parts.length != 2) {
      throw new IllegalArgumentException(KEY + " must be <partition>:<rows>, got " + spec);
    }
    return new FaultInjection(Integer.parseInt(parts[0].trim()), Long.parseLong(parts[1].trim()));
  }

  /**
   * {@code rows} with the session's configured fault armed: place it right before a write and an
   * injected failure kills a task attempt mid-write. Without the setting it only passes rows on.
   */
  public static Dataset<Row> guard(Dataset<Row> rows) {
    FaultInjection fault = from(rows.sparkSession().sparkContext().getConf());
    return rows.mapPartitions((MapPartitionsFunction<Row, Row>) it -> new Iterator<>() {
      private long passed;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Row next() {
        fault.maybeFail(passed++);
        return it.next();
      }
    }, Encoders.row(rows.schema()));
  }

  /** Call once per row, in the task, with how many rows this task has already passed on. */
  public void maybeFail(long rowsSoFar) {
    TaskContext task = TaskContext.get();
    if (partition >= 0 && task != null && task.partitionId() == partition && task.attemptNumber() == 0
        && rowsSoFar >= afterRows) {
      throw new IllegalStateException("injected fault (" + KEY + "): attempt 0 of partition " + partition
          + " dies after " + rowsSoFar + " rows");
    }
  }
}
