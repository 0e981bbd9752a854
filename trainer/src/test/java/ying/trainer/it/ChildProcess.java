package ying.trainer.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the integration tests share for their child processes: the checkout they run bin/ying from,
 * the project's jars, free ports, and runs with their output in a log file and a time limit.
 */
public final class ChildProcess {
  private ChildProcess() {}

  /** A finished child: its command line, exit status and everything it printed. */
  public record Result(List<String> command, int exit, String output) {}

  /** Starts {@code command} in {@code dir} with exactly {@code env}, stdout and stderr into {@code log}. */
  public static Process start(List<String> command, Map<String, String> env, Path dir, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Waits for a started child; fails the test (killing the child) when it runs past {@code limit}. */
  public static Result await(Process p, List<String> command, Path log, Duration limit)
      throws IOException, InterruptedException {
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      fail(command + " ran over " + limit + ":\n" + tail(Files.readString(log)));
    }
    return new Result(command, p.exitValue(), Files.readString(log));
  }

  public static Result run(List<String> command, Map<String, String> env, Path dir, Path log, Duration limit)
      throws IOException, InterruptedException {
    return await(start(command, env, dir, log), command, log, limit);
  }

  /** {@code repo/bin/ying} followed by {@code args}. */
  public static List<String> yingCommand(Path repo, String... args) {
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("bin/ying").toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The checkout above the working directory (failsafe runs in the module's folder). */
  public static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("bin/ying")) && Files.isRegularFile(p.resolve("conf/ying.properties"))) {
        return p;
      }
    }
    throw new IllegalStateException("no checkout (bin/ying, conf/ying.properties) above " + here);
  }

  /**
   * The test's class path (failsafe passes it as {@code surefire.test.class.path} when it launches
   * through a manifest-only jar), jars only.
   */
  public static List<String> testClassPathJars() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(cp.split(java.io.File.pathSeparator)).stream().filter(e -> e.endsWith(".jar")).toList();
  }

  /**
   * The libraries bin/ying runs the modules with, Spark and Hadoop included, in its order: every
   * module's {@code target/classpath.txt} (written by {@code mvn package}), without the modules' own jars.
   */
  public static List<String> launcherLibraries(Path repo) throws IOException {
    Set<String> jars = new LinkedHashSet<>();
    for (String module : List.of("core", "captioner", "dataset-builder", "trainer", "inference")) {
      Path listed = repo.resolve(module).resolve("target/classpath.txt");
      if (!Files.isRegularFile(listed)) {
        throw new IllegalStateException(listed + " is missing: mvn package writes it");
      }
      for (String entry : Files.readString(listed).trim().split(java.io.File.pathSeparator)) {
        if (entry.endsWith(".jar") && !Path.of(entry).toAbsolutePath().startsWith(repo)) {
          jars.add(entry);
        }
      }
    }
    return new ArrayList<>(jars);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public static String tail(String text) {
    return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
  }

  /** The last {@code lines} lines of a log file, or a note that there is none. */
  public static String logTail(Path log, int lines) throws IOException {
    if (!Files.exists(log)) {
      return "(no log " + log + ")";
    }
    List<String> all = Files.readAllLines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
