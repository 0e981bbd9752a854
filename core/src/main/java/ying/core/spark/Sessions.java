package ying.core.spark;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the {@link SparkSession} every Ying job runs in. Under spark-submit the master and conf
 * come from the submitter; run embedded (bin/ying without --master) it is {@code local[*]} on this
 * machine, with the optional properties file layered on top.
 */
public final class Sessions {
  private Sessions() {}

  public static final String EMBEDDED_MASTER = "local[*]";
  private static final String HADOOP_PREFIX = "spark.hadoop.";

  /**
   * @param master {@code --master} from the command line, or null
   * @param confFile {@code --conf} from the command line (a Spark properties file), or null
   */
  public static SparkSession start(String appName, String master, String confFile) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    boolean submitted = System.getProperty("spark.master") != null;
    Map<String, String> conf = confFile == null ? Map.of() : load(confFile);
    conf.forEach(builder::config);
    if (!submitted && !conf.containsKey("spark.master")) {
      String m = master == null ? EMBEDDED_MASTER : master;
      builder.master(m);
      if (m.startsWith("local")) {
        embeddedDefaults(builder, conf);
      }
    } else if (master != null && !submitted) {
      builder.master(master);
    }
    return builder.getOrCreate();
  }

  /** An embedded run needs no UI and no network beyond loopback. */
  private static void embeddedDefaults(SparkSession.Builder builder, Map<String, String> conf) {
    Map<String, String> defaults = new TreeMap<>(Map.of(
        "spark.ui.enabled", "false",
        "spark.driver.host", "127.0.0.1",
        "spark.driver.bindAddress", "127.0.0.1",
        "spark.sql.shuffle.partitions", "8",
        "spark.sql.adaptive.enabled", "true"));
    defaults.forEach((k, v) -> {
      if (!conf.containsKey(k)) {
        builder.config(k, v);
      }
    });
  }

  /**
   * The Hadoop configuration for a command that runs without Spark ({@code generate}): Hadoop's
   * defaults plus the {@code spark.hadoop.*} entries of {@code confFile} (may be null), as a Spark job
   * would see them, so one properties file (e.g. conf/s3.properties) reaches the same storage.
   */
  public static Configuration hadoopConfiguration(String confFile) {
    Configuration hadoop = new Configuration();
    if (confFile != null) {
      load(confFile).forEach((k, v) -> {
        if (k.startsWith(HADOOP_PREFIX)) {
          hadoop.set(k.substring(HADOOP_PREFIX.length()), v);
        }
      });
    }
    return hadoop;
  }

  /** Reads a Spark properties file ({@code key value} or {@code key=value} lines). */
  public static Map<String, String> load(String file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(file))) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read Spark conf file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
    return out;
  }
}
