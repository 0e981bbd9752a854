package ying.inference.generate;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import ying.core.cli.SparkOptions;
import ying.core.cli.YingCommand;
import ying.core.spark.Sessions;

/** {@code ying generate-batch}: a prompts file to videos, as a Spark job. */
@Command(name = "generate-batch", mixinStandardHelpOptions = true,
    description = {"Generate a video for every line of a prompts file, as a Spark job (each task loads the DiT and its",
        "VAE once): OUT/videos/prompt-NNNNN.mp4 (+ contact sheet) and the table OUT/generations (prompt, seed,",
        "video_uri, checkpoint, seconds, error). A prompt that fails gets its error and the others go on."})
public final class GenerateBatchCommand implements YingCommand {
  @Mixin BatchOptions batch;
  @Mixin SparkOptions spark;

  @Override
  public Integer call() throws Exception {
    try (SparkSession session = Sessions.start("ying-generate-batch", spark.master, spark.conf)) {
      List<Row> rows = batch.run(session, "generate-batch");
      long failed = rows.stream().filter(r -> !r.isNullAt(r.fieldIndex("error"))).count();
      rows.stream().filter(r -> !r.isNullAt(r.fieldIndex("error")))
          .forEach(r -> System.err.println("  prompt " + r.getInt(0) + " failed: " + r.getString(r.fieldIndex("error"))));
      System.out.println("generated " + (rows.size() - failed) + " of " + rows.size() + " prompts; " + failed
          + " failed\n  videos: " + batch.out + "/videos/\n  table:  " + batch.table());
      return failed == rows.size() ? 1 : 0;
    }
  }
}
