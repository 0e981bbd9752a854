package ying.core.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import ying.core.io.Storage;

/**
 * The driver's Hadoop configuration, carried to executors inside a task so that their
 * {@link Storage} reaches the same file systems (s3a endpoint, credentials provider) as the driver.
 */
public final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 1L;
  private final HashMap<String, String> entries = new HashMap<>();

  public HadoopConf(Configuration conf) {
    for (Map.Entry<String, String> e : conf) {
      entries.put(e.getKey(), e.getValue());
    }
  }

  public Configuration toConfiguration() {
    Configuration conf = new Configuration(false);
    entries.forEach(conf::set);
    return conf;
  }

  public Storage storage() {
    return new Storage(toConfiguration());
  }
}
