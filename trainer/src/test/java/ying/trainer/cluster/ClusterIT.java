package ying.trainer.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.trainer.it.ChildProcess;
import ying.trainer.it.ParquetTables;
import ying.trainer.it.ReleaseModels;

/**
 * caption and build-dataset on a real Spark standalone cluster (a master and two one-core workers,
 * each its own JVM, see {@link StandaloneCluster}), submitted by bin/ying through spark-submit with
 * the modules' application jars, give the same rows as the same commands on {@code local[2]}, also
 * when a worker is SIGKILLed while it captions. Executors load the captioner from the registry URI,
 * a folder every JVM here sees, the way a cluster sees S3 or a shared file system.
 */
class ClusterIT {
  /** When a row was written: the one column that legitimately differs between two runs. */
  private static final Set<String> WRITE_TIME = Set.of("created_at");
  private static final Duration RUN_LIMIT = Duration.ofMinutes(8);
  private static final String[] TINY_DATASET = {"--bucket", "32x32x9@8", "--val-fraction", "0", "--disable-filter",
      "static"};

  @TempDir Path dir;

  private final Path repo = ChildProcess.repoRoot();
  private int runs;

  @Test
  void clusterJobsMatchLocalRowForRowAndSurviveALostWorker() throws Exception {
    // Shared by every JVM: the registry (a copy of the release captioner), the videos, all outputs.
    Path registry = dir.resolve("shared/models");
    String captioner = ReleaseModels.latest(repo, "captioner");
    copyTree(repo.resolve("models/captioner/" + captioner), registry.resolve("captioner/" + captioner));
    Files.copy(repo.resolve("models/captioner/LATEST"), registry.resolve("captioner/LATEST"));
    Path videos = dir.resolve("shared/synth/videos");
    ying("synth", "--count", "3", "--seed", "5", "--out", dir.resolve("shared/synth").toString(), "--width", "96",
        "--height", "64", "--fps", "8", "--min-scene-s", "2.5", "--max-scene-s", "4", "--max-scenes", "2",
        "--master", "local[2]");

    // The reference: both jobs embedded on local[2].
    Path local = dir.resolve("shared/local");
    ying("caption", "--input", videos.toString(), "--out", local.resolve("captions").toString(), "--registry",
        registry.toString(), "--master", "local[2]");
    ying(withTinyBuckets("build-dataset", "--clips", local.resolve("captions").toString(), "--out",
        local.resolve("dataset").toString(), "--master", "local[2]"));

    // bin/ying hands spark-submit conf/spark-cluster.properties (4g, 4-core executors); these
    // one-core, 2g workers need smaller ones, which a --conf file layered on top sets.
    Path smallWorkers = dir.resolve("small-workers.properties");
    Files.writeString(smallWorkers, "spark.executor.memory = 1g\nspark.executor.cores = 1\n");
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), repo, opens(), fakeGpu())) {
      Path onCluster = dir.resolve("shared/cluster");
      // A relative --registry on purpose: the driver must hand executors an absolute URI, since their
      // working directory is a worker's work dir, not this one.
      Set<String> before = appIds(cluster);
      String captioned = ying("caption", "--input", videos.toString(), "--out", onCluster.resolve("captions").toString(),
          "--registry", dir.relativize(registry).toString(), "--master", cluster.masterUrl(), "--conf",
          smallWorkers.toString());
      assertTrue(captioned.contains("captioned 3 videos"), captioned);
      String captionApp = newApp(cluster, before);
      assertRanOnBothWorkers(cluster, captionApp);
      assertExecutorFlags(cluster, captionApp, "-Xmx1024M", "spark.executor.memory from the --conf file, over the profile's");
      assertLoadedFromRegistry(cluster, captionApp, "file:" + registry);
      assertSameRows(local.resolve("captions"), onCluster.resolve("captions"), WRITE_TIME);

      // From the reference's clip table: shard rows name their source table and its snapshot.
      before = appIds(cluster);
      ying(withTinyBuckets("build-dataset", "--clips", local.resolve("captions").toString(), "--out",
          onCluster.resolve("dataset").toString(), "--master", cluster.masterUrl(), "--conf", smallWorkers.toString()));
      assertRanOnBothWorkers(cluster, newApp(cluster, before));
      assertSameRows(local.resolve("dataset"), onCluster.resolve("dataset"), Set.of());

      // The GPU profile on a CPU-only build: workers offer a (fake) GPU, Spark gives it to the training
      // task, and the task refuses to train on the CPU with a message that says why.
      Path gpuHere = dir.resolve("gpu-here.properties");
      Files.writeString(gpuHere, "spark.executor.resource.gpu.discoveryScript = " + fakeGpu()
          + "\nspark.executor.cores = 1\nspark.task.cpus = 1\n");
      ChildProcess.Result gpu = ChildProcess.run(yingCommand("train-vae", "--data", onCluster.resolve("dataset").toString(),
          "--registry", registry.toString(), "--crop", "9x32x32", "--steps", "2", "--batch", "1", "--eval-clips", "1",
          "--master", cluster.masterUrl(), "--conf", smallWorkers.toString(), "--conf",
          repo.resolve("conf/gpu.properties").toString(), "--conf", gpuHere.toString()), environment(), dir,
          log("train-vae-gpu"), RUN_LIMIT);
      assertTrue(gpu.exit() != 0, "a CPU build given a GPU does not train:\n" + ChildProcess.tail(gpu.output()));
      assertTrue(gpu.output().contains("Spark gave this task GPU 0") && gpu.output().contains("-Pgpu"),
          ChildProcess.tail(gpu.output()));

      // A worker dies while its executor captions: the other one takes over its tasks.
      String lost = captionLosingAWorker(cluster, videos, registry, onCluster.resolve("captions-lost-worker"),
          smallWorkers);
      assertTrue(lost.contains("captioned 3 videos"), lost);
      assertTrue(lost.contains("Lost task") || lost.contains("Lost executor"),
          "the driver saw the lost worker's task fail:\n" + ChildProcess.tail(lost));
      assertEquals(1, cluster.state().path("aliveworkers").asInt(), "one worker left");
      assertSameRows(local.resolve("captions"), onCluster.resolve("captions-lost-worker"), WRITE_TIME);
    }
  }

  /**
   * Starts caption on the cluster, SIGKILLs the first worker whose executor starts captioning (it logs
   * loading the captioner inside a task) and returns the job's output once it finishes.
   */
  private String captionLosingAWorker(StandaloneCluster cluster, Path videos, Path registry, Path out, Path conf)
      throws Exception {
    Set<String> before = appIds(cluster);
    List<String> command = yingCommand("caption", "--input", videos.toString(), "--out", out.toString(),
        "--registry", registry.toString(), "--master", cluster.masterUrl(), "--conf", conf.toString());
    Path log = log("caption-lost-worker");
    Process job = ChildProcess.start(command, environment(), dir, log);
    long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
    int killed = 0;
    while (killed == 0) {
      if (!job.isAlive()) {
        fail("caption finished before a worker could be killed:\n" + ChildProcess.tail(Files.readString(log)));
      }
      if (System.nanoTime() > deadline) {
        job.destroyForcibly();
        fail("no executor started captioning within " + RUN_LIMIT + ":\n" + cluster.logs());
      }
      Set<String> apps = appIds(cluster);
      apps.removeAll(before);
      for (String app : apps) {
        for (int w = 1; w <= 2 && killed == 0; w++) {
          for (Path stderr : cluster.executorLogs(w, app)) {
            if (Files.readString(stderr).contains("loading captioner")) {
              cluster.killWorker(w);
              killed = w;
              break;
            }
          }
        }
      }
      Thread.sleep(200);
    }
    ChildProcess.Result r = ChildProcess.await(job, command, log, RUN_LIMIT);
    if (r.exit() != 0) {
      fail("caption with worker " + killed + " killed exited " + r.exit() + ":\n" + ChildProcess.tail(r.output())
          + "\n" + cluster.logs());
    }
    return r.output();
  }

  private static void assertRanOnBothWorkers(StandaloneCluster cluster, String app) throws IOException {
    for (int w = 1; w <= 2; w++) {
      List<Path> logs = cluster.executorLogs(w, app);
      assertFalse(logs.isEmpty(), "worker " + w + " ran an executor of " + app);
      boolean ranTask = false;
      for (Path stderr : logs) {
        ranTask |= Files.readString(stderr).contains("Running task");
      }
      assertTrue(ranTask, "an executor of worker " + w + " ran a task of " + app);
    }
    JsonNode finished = null;
    for (JsonNode a : cluster.state().path("completedapps")) {
      finished = a.path("id").asText().equals(app) ? a : finished;
    }
    assertTrue(finished != null && finished.path("state").asText().equals("FINISHED"), app + " finished on the master");
  }

  /** Every executor of {@code app} was launched with {@code flag} (worker logs start with the executor's command). */
  private static void assertExecutorFlags(StandaloneCluster cluster, String app, String flag, String why)
      throws IOException {
    for (int w = 1; w <= 2; w++) {
      for (Path stderr : cluster.executorLogs(w, app)) {
        String command = Files.readString(stderr).lines().filter(l -> l.startsWith("Spark Executor Command:"))
            .findFirst().orElse("");
        assertTrue(command.contains(flag), why + ": " + flag + " in " + stderr + ": " + command);
      }
    }
  }

  /** Every executor that loaded the captioner named the shared registry, and at least one did. */
  private static void assertLoadedFromRegistry(StandaloneCluster cluster, String app, String registryUri)
      throws IOException {
    int loads = 0;
    for (int w = 1; w <= 2; w++) {
      for (Path stderr : cluster.executorLogs(w, app)) {
        for (String line : Files.readAllLines(stderr)) {
          if (line.contains("loading captioner")) {
            loads++;
            assertTrue(line.endsWith(" from " + registryUri), "executors load from the registry URI: " + line);
          }
        }
      }
    }
    assertTrue(loads >= 1, "an executor loaded the captioner");
  }

  /** The same rows (as sorted lines, partition folders included), but for the columns {@code ignored}. */
  private static void assertSameRows(Path expected, Path actual, Set<String> ignored) throws IOException {
    List<String> want = ParquetTables.sortedRows(expected, ignored);
    List<String> got = ParquetTables.sortedRows(actual, ignored);
    for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
      assertEquals(want.get(i), got.get(i), "row " + i + " of " + actual + " against " + expected);
    }
    assertEquals(want.size(), got.size(), "rows of " + actual + " against " + expected);
    assertTrue(want.size() >= 3, "at least a row per video in " + expected);
  }

  private static Set<String> appIds(StandaloneCluster cluster) throws IOException {
    Set<String> ids = new TreeSet<>();
    JsonNode state = cluster.state();
    for (String list : List.of("activeapps", "completedapps")) {
      state.path(list).forEach(a -> ids.add(a.path("id").asText()));
    }
    return ids;
  }

  private static String newApp(StandaloneCluster cluster, Set<String> before) throws IOException {
    Set<String> ids = appIds(cluster);
    ids.removeAll(before);
    assertEquals(1, ids.size(), "one new application on the master: " + ids);
    return ids.iterator().next();
  }

  /**
   * A GPU discovery script for the workers and executors: the shipped conf/gpu-discovery.sh over a fake
   * nvidia-smi that reports one GPU.
   */
  private Path fakeGpu() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("fake-gpu/bin"));
    Path smi = bin.resolve("nvidia-smi");
    Path script = dir.resolve("fake-gpu/discover.sh");
    if (!Files.exists(script)) {
      Files.writeString(smi, "#!/bin/sh\necho 0\n");
      Files.writeString(script, "#!/bin/sh\nPATH='" + bin + "':$PATH exec '" + repo.resolve("conf/gpu-discovery.sh") + "'\n");
      for (Path p : List.of(smi, script)) {
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    return script;
  }

  // --- bin/ying ---------------------------------------------------------------------------------

  private String ying(String... args) throws Exception {
    List<String> command = yingCommand(args);
    ChildProcess.Result r = ChildProcess.run(command, environment(), dir, log(args[0]), RUN_LIMIT);
    if (r.exit() != 0) {
      fail("bin/ying " + String.join(" ", args) + " exited " + r.exit() + ":\n" + ChildProcess.tail(r.output()));
    }
    return r.output();
  }

  private List<String> yingCommand(String... args) {
    return ChildProcess.yingCommand(repo, args);
  }

  private Path log(String what) {
    return dir.resolve("logs").resolve(String.format("%02d-%s.log", runs++, what));
  }

  private static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("SPARK_"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1"); // the driver, like the cluster, on loopback only
    env.put("YING_HEAP", "1g");
    return env;
  }

  /** The root pom's {@code ying.jvm.opens}, which profile it hands to failsafe. */
  private static String opens() {
    String opens = System.getProperty("ying.jvm.opens", "");
    assertTrue(opens.contains("--add-opens"), "ying.jvm.opens is set (mvn verify -Pit)");
    return opens;
  }

  private static String[] withTinyBuckets(String... head) {
    String[] out = java.util.Arrays.copyOf(head, head.length + TINY_DATASET.length);
    System.arraycopy(TINY_DATASET, 0, out, head.length, TINY_DATASET.length);
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
