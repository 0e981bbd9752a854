package ying.trainer.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import ying.trainer.it.ChildProcess;

/**
 * A Spark standalone cluster on 127.0.0.1: a master and two one-core workers, each its own
 * {@code java} process, from the jars bin/ying runs with (Spark has no distribution here). Spark's
 * launcher wants a SPARK_HOME with a {@code jars/} folder to build each executor's class path; an
 * empty one plus {@code SPARK_DIST_CLASSPATH} (the "Hadoop free" build's hook, appended after
 * {@code jars/*}) gives executors the same libraries, in bin/ying's order. Each worker has its own
 * work dir, where its executors keep the application jar and their logs.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_LIMIT = Duration.ofSeconds(180);

  private final Path dir;
  private final int port;
  private final int webPort;
  private final Map<String, String> env;
  private final List<String> jvm;
  private final List<Process> daemons = new ArrayList<>();
  /** Every process the daemons started (executors), remembered so that a killed worker's are stopped too. */
  private final List<ProcessHandle> children = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "stop-spark-standalone");

  private StandaloneCluster(Path dir, int port, int webPort, Map<String, String> env, List<String> jvm) {
    this.dir = dir;
    this.port = port;
    this.webPort = webPort;
    this.env = env;
    this.jvm = jvm;
    // A test JVM killed mid-run must not leave the cluster behind.
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts the master and two workers and returns once both workers are registered.
   *
   * @param opens the JVM flags Spark needs on Java 17 (the root pom's {@code ying.jvm.opens})
   * @param gpuDiscoveryScript when not null, each worker offers one GPU that this script reports
   */
  static StandaloneCluster start(Path dir, Path repo, String opens, Path gpuDiscoveryScript)
      throws IOException, InterruptedException {
    Path sparkHome = dir.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    Files.createDirectories(sparkHome.resolve("conf"));
    String libraries = String.join(java.io.File.pathSeparator, ChildProcess.launcherLibraries(repo));
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("SPARK_"));
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13"); // the launcher asks even when jars/ exists
    env.put("SPARK_DIST_CLASSPATH", libraries);
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    List<String> jvm = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m"));
    jvm.addAll(List.of(opens.trim().split("\\s+")));
    jvm.addAll(List.of("-cp", libraries));

    StandaloneCluster cluster = new StandaloneCluster(dir, ChildProcess.freePort(), ChildProcess.freePort(), env, jvm);
    try {
      cluster.daemon("master", List.of(), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
          String.valueOf(cluster.port), "--webui-port", String.valueOf(cluster.webPort));
      for (int i = 1; i <= 2; i++) {
        Files.createDirectories(cluster.workDir(i));
        List<String> gpu = gpuDiscoveryScript == null ? List.of() : List.of("-Dspark.worker.resource.gpu.amount=1",
            "-Dspark.worker.resource.gpu.discoveryScript=" + gpuDiscoveryScript);
        cluster.daemon("worker-" + i, gpu, "org.apache.spark.deploy.worker.Worker", cluster.masterUrl(), "--cores", "1",
            "--memory", "2g", "--host", "127.0.0.1", "--webui-port", "0", "--work-dir", cluster.workDir(i).toString());
      }
      cluster.awaitWorkers(2);
    } catch (IOException | RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  /** Worker {@code i}'s (1 or 2) work dir: {@code app-*}/{@code <executor>}/{@code stderr} per executor. */
  Path workDir(int i) {
    return dir.resolve("work-" + i);
  }

  /** The master's state as its web UI serves it (workers, active and completed applications). */
  JsonNode state() throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + webPort + "/json/").toURL()
        .openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(5000);
    try {
      return JSON.readTree(c.getInputStream());
    } finally {
      c.disconnect();
    }
  }

  /** The executor logs worker {@code i} holds for application {@code appId}. */
  List<Path> executorLogs(int i, String appId) throws IOException {
    Path app = workDir(i).resolve(appId);
    if (!Files.isDirectory(app)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(app)) {
      return s.map(e -> e.resolve("stderr")).filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** SIGKILLs worker {@code i}, as a lost machine: nothing is shut down in order. Its executors exit on their own. */
  void killWorker(int i) throws InterruptedException {
    Process worker = daemons.get(i);
    remember(worker);
    worker.destroyForcibly().waitFor();
  }

  String logs() throws IOException {
    StringBuilder b = new StringBuilder();
    for (String name : List.of("master", "worker-1", "worker-2")) {
      b.append("--- ").append(name).append('\n').append(ChildProcess.logTail(dir.resolve(name + ".log"), 25))
          .append('\n');
    }
    return b.toString();
  }

  private void daemon(String name, List<String> properties, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(jvm);
    command.addAll(properties);
    command.add(mainClass);
    command.addAll(List.of(args));
    daemons.add(ChildProcess.start(command, env, dir, dir.resolve(name + ".log")));
  }

  private void awaitWorkers(int n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Process p : daemons) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a Spark daemon exited with " + p.exitValue() + ":\n" + logs());
        }
      }
      try {
        if (state().path("aliveworkers").asInt() == n) {
          return;
        }
      } catch (IOException notYet) {
        // the master's UI is not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(n + " workers did not register within " + START_LIMIT + ":\n" + logs());
  }

  private void remember(Process p) {
    p.descendants().forEach(children::add);
  }

  private void stopAll() {
    // Workers first (their executors with them), the master last.
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Process p = daemons.get(i);
      remember(p);
      p.destroy();
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run; the processes are gone either way.
    }
  }
}
