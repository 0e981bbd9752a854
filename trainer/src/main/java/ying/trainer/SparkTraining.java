package ying.trainer;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import ying.core.dataset.DatasetLayout;
import ying.core.io.Storage;
import ying.core.spark.HadoopConf;

/** What every training command does with its Spark application. */
public final class SparkTraining {
  private SparkTraining() {}

  /** A training run as a task: gets the executor's storage, returns what to print. */
  public interface Task extends Serializable {
    String run(Storage storage) throws Exception;
  }

  /**
   * Runs {@code task} inside one Spark task: the executor reads shards and publishes, so the driver
   * never holds the data. Returns the task's result.
   */
  public static String inOneTask(SparkSession session, Task task) {
    HadoopConf hadoop = new HadoopConf(session.sparkContext().hadoopConfiguration());
    return JavaSparkContext.fromSparkContext(session.sparkContext())
        .parallelize(List.of(0), 1)
        .map(i -> task.run(hadoop.storage()))
        .collect()
        .get(0);
  }

  /** The distinct captions of a dataset's train split (a tokenizer's vocabulary); refuses an empty split. */
  public static List<String> trainCaptions(SparkSession session, String data) {
    List<String> captions = session.read().parquet(new DatasetLayout(data).split(DatasetLayout.TRAIN))
        .select("caption").distinct().as(Encoders.STRING()).collectAsList();
    if (captions.isEmpty()) {
      throw new IllegalArgumentException(data + " has no training clips");
    }
    return captions;
  }
}
