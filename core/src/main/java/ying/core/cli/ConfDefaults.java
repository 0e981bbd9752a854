package ying.core.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import ying.core.spark.Sessions;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults an operator sets in {@code conf/ying.properties} as {@code <command>.<option>}
 * (e.g. {@code synth.fps = 16}); the command line overrides them, and the annotation's default
 * applies when neither says anything. The conf folder is {@code $YING_CONF_DIR}, else {@code ./conf}.
 */
final class ConfDefaults implements CommandLine.IDefaultValueProvider {
  private final Properties properties = new Properties();

  ConfDefaults() {
    Path file = Sessions.confDir().resolve("ying.properties");
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file)) {
        properties.load(in);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || arg.command() == null) {
      return null;
    }
    String key = arg.command().qualifiedName(".").replaceFirst("^ying\\.", "") + "."
        + option.longestName().replaceFirst("^-+", "");
    return properties.getProperty(key);
  }
}
