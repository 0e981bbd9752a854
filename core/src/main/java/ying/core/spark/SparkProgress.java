package ying.core.spark;

import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import ying.core.cli.Progress;

/**
 * Reports a Spark job's progress from the driver: finished tasks of the jobs in one job group
 * against the tasks of their stages, or the caller's estimate while that is larger (later stages
 * are only known once submitted). Runs as a daemon thread while the action that starts the jobs
 * runs in the caller's thread.
 */
public final class SparkProgress implements AutoCloseable {
  private final SparkSession spark;
  private final Thread poller;
  private final JavaSparkStatusTracker tracker;
  private final String group;
  private final Progress progress;
  private volatile boolean stopped;

  private SparkProgress(SparkSession spark, String group, Progress progress) {
    JavaSparkStatusTracker tracker = JavaSparkContext.fromSparkContext(spark.sparkContext()).statusTracker();
    this.spark = spark;
    this.tracker = tracker;
    this.group = group;
    this.progress = progress;
    poller = new Thread(() -> {
      while (!stopped) {
        poll();
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "ying-progress-" + group);
    poller.setDaemon(true);
  }

  /**
   * Tags the jobs that the calling thread starts from now on with {@code group} and reports their
   * finished tasks out of all tasks of the stages submitted so far (a later stage raises the total).
   */
  public static SparkProgress watch(SparkSession spark, String group, Progress progress) {
    spark.sparkContext().setJobGroup(group, group, false);
    SparkProgress p = new SparkProgress(spark, group, progress);
    p.poller.start();
    return p;
  }

  private void poll() {
    long done = 0;
    long total = 0;
    for (int jobId : tracker.getJobIdsForGroup(group)) {
      var job = tracker.getJobInfo(jobId);
      if (job == null) {
        continue;
      }
      for (int stageId : job.stageIds()) {
        SparkStageInfo stage = tracker.getStageInfo(stageId);
        if (stage != null) {
          done += stage.numCompletedTasks();
          // Stages not submitted (yet, or skipped because their output exists) run no tasks.
          total += stage.submissionTime() > 0 ? stage.numTasks() : 0;
        }
      }
    }
    progress.update(done, total);
  }

  /** Stops watching, with a last report so the final count is always printed. */
  @Override
  public void close() {
    stopped = true;
    poller.interrupt();
    try {
      poller.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    poll();
    // Later jobs of this thread are not this work's: they must not swell its count.
    spark.sparkContext().clearJobGroup();
  }
}
