package ying.core.spark;

import java.io.Serializable;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;

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
