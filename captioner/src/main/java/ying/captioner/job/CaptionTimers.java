package ying.captioner.job;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Where the caption tasks' time goes, summed over all tasks in nanoseconds: inside the model's
 * caption calls, in opening and decoding the videos (scene cuts and clip frames), and in the tasks
 * altogether (hashing excluded). The benchmark reads the rest as time outside the model.
 */
public record CaptionTimers(LongAccumulator model, LongAccumulator decode, LongAccumulator tasks)
    implements Serializable {
  public static CaptionTimers register(SparkContext sc) {
    return new CaptionTimers(sc.longAccumulator("ying.caption.model_nanos"),
        sc.longAccumulator("ying.caption.decode_nanos"), sc.longAccumulator("ying.caption.task_nanos"));
  }

  public double decodeSeconds() {
    return decode.value() / 1e9;
  }

  public double modelSeconds() {
    return model.value() / 1e9;
  }

  public double taskSeconds() {
    return tasks.value() / 1e9;
  }
}
