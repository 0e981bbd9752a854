package ying.core.spark;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import ying.core.registry.Registry;

/**
 * Builds the {@link SparkSession} every Ying job runs in. Under spark-submit the master and conf
 * come from the submitter; run embedded (bin/ying without --master, or {@code --master local[N]}) it
 * runs on this machine with {@code conf/spark-local.properties} applied. The {@code --conf} files go
 * on top, in the order given, so a later file wins.
 */
public final class Sessions {
  private Sessions() {}

  public static final String EMBEDDED_MASTER = "local[*]";
  /** Spark settings for embedded runs, in the conf folder. */
  public static final String LOCAL_PROFILE = "spark-local.properties";
  private static final String HADOOP_PREFIX = "spark.hadoop.";

  /**
   * @param master {@code --master} from the command line, or null
   * @param confFiles {@code --conf} files from the command line (Spark properties files), in order
   */
  public static SparkSession start(String appName, String master, List<String> confFiles) {
    boolean submitted = System.getProperty("spark.master") != null;
    Settings settings = settings(master, confFiles, submitted, confDir());
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (settings.master() != null) {
      builder.master(settings.master());
    }
    settings.conf().forEach(builder::config);
    return builder.getOrCreate();
  }

  /** The master to set (null: the submitter's) and the properties to set, in the order they apply. */
  public record Settings(String master, Map<String, String> conf) {}

  /**
   * What {@link #start} sets, without starting anything: the {@code --conf} files layered in order
   * (a later file overrides an earlier one); run embedded, beneath them the embedded defaults and the
   * conf folder's {@value #LOCAL_PROFILE} (if there is one).
   */
  public static Settings settings(String master, List<String> confFiles, boolean submitted, Path confDir) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String file : confFiles == null ? List.<String>of() : confFiles) {
      given.putAll(load(file));
    }
    String chosen = null;
    if (!submitted && !given.containsKey("spark.master")) {
      chosen = master == null ? EMBEDDED_MASTER : master;
    } else if (master != null && !submitted) {
      chosen = master;
    }
    String effective = chosen != null ? chosen : given.getOrDefault("spark.master", System.getProperty("spark.master", ""));
    Map<String, String> conf = new LinkedHashMap<>();
    if (!submitted && effective.startsWith("local")) {
      conf.putAll(EMBEDDED_DEFAULTS);
      Path profile = confDir == null ? null : confDir.resolve(LOCAL_PROFILE);
      if (profile != null && Files.isRegularFile(profile)) {
        conf.putAll(load(profile.toString()));
      }
    }
    conf.putAll(given);
    if (chosen != null) {
      conf.remove("spark.master"); // --master beats a file's spark.master
    }
    return new Settings(chosen, conf);
  }

  /** An embedded run needs no UI and no network beyond loopback; conf/spark-local.properties may say otherwise. */
  private static final Map<String, String> EMBEDDED_DEFAULTS = Map.of(
      "spark.ui.enabled", "false",
      "spark.driver.host", "127.0.0.1",
      "spark.driver.bindAddress", "127.0.0.1");

  /**
   * The folder an operator edits ({@code conf/}): {@code $YING_CONF_DIR} (bin/ying sets it), else the
   * system property {@code ying.conf.dir}, else {@code ./conf}.
   */
  public static Path confDir() {
    return Path.of(System.getenv().getOrDefault("YING_CONF_DIR", System.getProperty("ying.conf.dir", "conf")));
  }

  /**
   * Warns (on stderr) when a job on a cluster falls back to the default registry: {@code models/} of
   * this checkout is a folder on the driver's machine, and executors elsewhere load models from the
   * registry URI themselves, so they would not find it (or would find another checkout's).
   *
   * @param registryOption the command's {@code --registry}, null when not given
   */
  public static void warnIfDefaultRegistry(SparkSession session, String command, String registryOption) {
    String warning = defaultRegistryWarning(command, registryOption, session.sparkContext().isLocal(),
        Registry.defaultRoot());
    if (warning != null) {
      System.err.println(warning);
    }
  }

  /** The warning {@link #warnIfDefaultRegistry} prints, or null when there is none. */
  public static String defaultRegistryWarning(String command, String registryOption, boolean local,
      String defaultRoot) {
    if (registryOption != null || local) {
      return null;
    }
    return "ying " + command + ": WARNING: no --registry, so executors load models from " + defaultRoot
        + " (models/ of this checkout, on the driver's machine). On a cluster, pass --registry on storage every"
        + " node reaches (s3a://, hdfs://, a shared file system).";
  }

  /**
   * The Hadoop configuration for a command that runs without Spark ({@code generate}): Hadoop's
   * defaults plus the {@code spark.hadoop.*} entries of {@code confFiles} (in order), as a Spark job
   * would see them, so one properties file (e.g. conf/s3.properties) reaches the same storage.
   */
  public static Configuration hadoopConfiguration(List<String> confFiles) {
    Configuration hadoop = new Configuration();
    for (String file : confFiles == null ? List.<String>of() : confFiles) {
      load(file).forEach((k, v) -> {
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
