package ying.trainer.s3;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import ying.trainer.it.ChildProcess;

/**
 * A real S3-compatible server (S3Proxy, in-memory blob store) as its own {@code java} process on a
 * free port of 127.0.0.1, from the S3Proxy jars on the test's class path. It holds the test's
 * credentials in its properties file, the one place a server must have them.
 */
final class S3ProxyServer implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String endpoint;
  private final Thread hook;

  private S3ProxyServer(Process process, Path log, String endpoint) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
    // A test JVM killed mid-run must not leave the server behind.
    this.hook = new Thread(process::destroyForcibly, "stop-s3proxy");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  String endpoint() {
    return endpoint;
  }

  static S3ProxyServer start(Path dir, String accessKey, String secretKey) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int port = ChildProcess.freePort();
    String endpoint = "http://127.0.0.1:" + port;
    Path conf = dir.resolve("s3proxy.properties");
    // "transient" is jclouds' flat in-memory key store; the nio2 stores model folders and refuse to delete a
    // "folder" key with keys under it, which S3 (and the S3A committers) never expect.
    Files.writeString(conf, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=transient",
        "jclouds.identity=local",
        "jclouds.credential=local",
        ""));
    Path log = dir.resolve("s3proxy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx768m", "-cp", s3proxyClassPath(), "org.gaul.s3proxy.Main",
        "--properties", conf.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3ProxyServer server = new S3ProxyServer(p, log, endpoint);
    try {
      server.awaitAnswer(Duration.ofSeconds(90));
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * The test's class path, jars only: S3Proxy and its libraries are test dependencies of
   * profile {@code it}; the rest is never loaded by S3Proxy's main class.
   */
  static String s3proxyClassPath() {
    List<String> jars = ChildProcess.testClassPathJars();
    if (jars.stream().noneMatch(j -> Path.of(j).getFileName().toString().startsWith("s3proxy-"))) {
      throw new IllegalStateException("no s3proxy jar on the test class path; run with -Pit (mvn verify -Pit)");
    }
    return String.join(File.pathSeparator, jars);
  }

  private void awaitAnswer(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        int status = c.getResponseCode();
        c.disconnect();
        if (status > 0) {
          return; // any answer (403 without credentials) means it serves
        }
      } catch (IOException notYet) {
        Thread.sleep(300);
      }
    }
    throw new IllegalStateException("S3Proxy did not answer on " + endpoint + " within " + timeout + ":\n" + logTail());
  }

  String logTail() throws IOException {
    return ChildProcess.logTail(log, 30);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run; the process is gone either way.
    }
  }
}
