package ying.trainer.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static ying.trainer.it.ParquetTables.columns;
import static ying.trainer.it.ParquetTables.groups;
import static ying.trainer.it.ParquetTables.input;
import static ying.trainer.it.ParquetTables.parquetFiles;
import static ying.trainer.it.ParquetTables.rows;
import static ying.trainer.it.ParquetTables.stringColumn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.trainer.it.ChildProcess;
import ying.trainer.it.ChildProcess.Result;
import ying.trainer.it.ReleaseModels;

/**
 * The launcher end to end against a real S3 server, as an operator runs it: bin/ying with
 * {@code --conf} (a copy of conf/s3.properties pointing at the server) and credentials only in the
 * child processes' environment. Raw videos and the release captioner go up with the aws CLI; caption,
 * build-dataset, train-vae, build-dataset --vae, train-dit and generate then read and write nothing
 * but {@code s3a://} URIs. Results are checked with {@code aws s3 ls} and parquet-hadoop (not Spark)
 * over downloaded copies; reruns add nothing; no log, manifest, Parquet footer or error row holds
 * the credentials.
 */
class S3PipelineIT {
  private static final String BUCKET = "ying-it";
  private static final String S3 = "s3a://" + BUCKET;
  private static final String BUCKET_SHAPE = "32x32x9@8";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final Path repo = ChildProcess.repoRoot();
  private final String accessKey = "AKIA" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
  private final String secretKey = random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
  private final List<Result> runs = new ArrayList<>();
  private Map<String, String> env;
  private String endpoint;

  @Test
  void pipelineRunsOnS3AddsNothingOnRerunAndNeverLeaksCredentials() throws Exception {
    requireAwsCli();
    try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("s3proxy"), accessKey, secretKey)) {
      endpoint = server.endpoint();
      env = childEnvironment();
      String conf = s3Conf().toString();

      // Inputs go up with the aws CLI: the release captioner as an s3a registry, and raw videos.
      aws("s3", "mb", "s3://" + BUCKET);
      String captioner = ReleaseModels.latest(repo, "captioner");
      String captionModel = "caption_model=captioner@" + captioner;
      aws("s3", "cp", "--recursive", "--only-show-errors", repo.resolve("models/captioner/" + captioner).toString(),
          "s3://" + BUCKET + "/models/captioner/" + captioner);
      aws("s3", "cp", "--only-show-errors", repo.resolve("models/captioner/LATEST").toString(),
          "s3://" + BUCKET + "/models/captioner/LATEST");
      Path synth = dir.resolve("synth");
      ying("synth", "--count", "2", "--seed", "5", "--out", synth.toString(), "--width", "96", "--height", "64",
          "--fps", "8", "--min-scene-s", "2.5", "--max-scene-s", "4", "--max-scenes", "2", "--master", "local[2]");
      aws("s3", "cp", "--recursive", "--only-show-errors", synth.resolve("videos").toString(), "s3://" + BUCKET + "/raw");

      // The pipeline, s3a:// everywhere.
      String models = S3 + "/models";
      String captioned = ying("caption", "--input", S3 + "/raw", "--out", S3 + "/captions", "--registry", models,
          "--conf", conf, "--master", "local[2]");
      assertTrue(captioned.contains("captioned 2 videos"), captioned);
      String[] tiny = {"--bucket", BUCKET_SHAPE, "--val-fraction", "0", "--disable-filter", "static"};
      ying(concat(new String[] {"build-dataset", "--clips", S3 + "/captions", "--out", S3 + "/pixels", "--conf", conf,
          "--master", "local[2]"}, tiny));
      ying("train-vae", "--data", S3 + "/pixels", "--registry", models, "--steps", "2", "--batch", "1", "--crop",
          "5x16x16", "--warmup", "1", "--eval-clips", "1", "--val-every", "10", "--conf", conf, "--master", "local[2]");
      ying(concat(new String[] {"build-dataset", "--clips", S3 + "/captions", "--out", S3 + "/latents", "--vae", "vae",
          "--registry", models, "--conf", conf, "--master", "local[2]"}, tiny));
      ying("train-dit", "--data", S3 + "/latents", "--registry", models, "--steps", "2", "--batch", "2", "--warmup",
          "1", "--val-every", "10", "--conf", conf, "--master", "local[2]");
      ying("generate", "--prompt", "The camera pans left. A red circle moves right.", "--out",
          S3 + "/generated/clip.mp4", "--registry", models, "--frames", "9", "--width", "32", "--height", "32",
          "--steps", "2", "--conf", conf);

      // What is in the bucket, by the aws CLI.
      Set<String> keys = listBucket();
      for (String expected : List.of("raw/synth-s5-000000.mp4", "raw/synth-s5-000001.mp4", "pixels/_manifest.json",
          "pixels/_report.json", "latents/_manifest.json", "models/vae/LATEST", "models/vae/1/manifest.json",
          "models/dit/LATEST", "models/dit/1/manifest.json", "generated/clip.mp4", "generated/clip.png")) {
        assertTrue(keys.contains(expected), expected + " missing from " + keys);
      }
      assertTrue(keys.stream().anyMatch(k -> k.startsWith("captions/" + captionModel + "/") && k.endsWith(".parquet")),
          "caption shards in " + keys);
      assertTrue(keys.stream().anyMatch(k -> k.startsWith("latents/split=train/bucket=" + BUCKET_SHAPE + "/")
          && k.endsWith(".parquet")), "latent shards in " + keys);
      assertTrue(keys.stream().noneMatch(k -> k.contains("__magic") || k.contains("_temporary")
          || k.contains("._staging-") || k.contains("._tmp-")), "no leftovers of commits or publishes: " + keys);

      // Read back with parquet-hadoop over local copies, not with Spark.
      Path copy = download("");
      List<Path> captionFiles = parquetFiles(copy.resolve("captions/" + captionModel));
      long clips = rows(captionFiles);
      assertTrue(clips >= 2, "at least one clip per video, got " + clips);
      assertTrue(columns(captionFiles.get(0)).containsAll(List.of("video_uri", "video_sha256", "clip_index", "start_s",
          "end_s", "caption", "caption_confidence")), "caption columns: " + columns(captionFiles.get(0)));
      for (String uri : stringColumn(captionFiles, "video_uri")) {
        assertTrue(uri.startsWith(S3 + "/raw/synth-s5-"), "clips name the s3a video they came from: " + uri);
      }
      for (String table : List.of("captions", "pixels", "latents")) {
        // The S3A committers leave a JSON summary naming themselves; the classic committer an empty file.
        JsonNode success = JSON.readTree(copy.resolve(table).resolve("_SUCCESS").toFile());
        assertEquals("magic", success.get("committer").asText(), table + " committed by the magic committer");
      }
      checkDataset(copy.resolve("pixels"), clips, false);
      checkDataset(copy.resolve("latents"), clips, true);
      JsonNode dit = JSON.readTree(copy.resolve("models/dit/1/manifest.json").toFile());
      assertEquals("vae@1", dit.get("vae").asText());
      assertEquals(S3 + "/latents", dit.get("training_data").get("path").asText());
      byte[] mp4 = Files.readAllBytes(copy.resolve("generated/clip.mp4"));
      assertEquals("ftyp", new String(mp4, 4, 4, StandardCharsets.US_ASCII), "an MP4");

      // A rerun captions nothing and adds no object; a finished dataset is not written again.
      Set<String> before = listBucket();
      String again = ying("caption", "--input", S3 + "/raw", "--out", S3 + "/captions", "--registry", models,
          "--conf", conf, "--master", "local[2]");
      assertTrue(again.contains("captioned 0 videos (0 clips)") && again.contains("2 already done"), again);
      assertEquals(before, listBucket(), "a caption rerun adds or removes no object");
      assertEquals(clips, rows(parquetFiles(download("captions").resolve(captionModel))));
      String manifest = Files.readString(copy.resolve("pixels/_manifest.json"));
      Result refused = run(yingCommand(concat(new String[] {"build-dataset", "--clips", S3 + "/captions", "--out",
          S3 + "/pixels", "--conf", conf, "--master", "local[2]"}, tiny)));
      assertNotEquals(0, refused.exit(), "a finished dataset is refused:\n" + refused.output());
      assertTrue(refused.output().contains("is a finished dataset"), refused.output());
      assertEquals(before, listBucket(), "the refused build touched nothing");
      assertEquals(manifest, Files.readString(download("pixels").resolve("_manifest.json")));

      assertNoCredentials(download(""));
    }
  }

  /** Row counts against the manifest, the columns trainers read, and latents only where asked for. */
  private void checkDataset(Path root, long clips, boolean latents) throws IOException {
    JsonNode manifest = JSON.readTree(root.resolve("_manifest.json").toFile());
    List<Path> shards = parquetFiles(root.resolve("split=train"));
    long rows = rows(shards);
    assertEquals(manifest.get("rows").get("total").asLong(), rows, root + ": manifest and shards agree");
    assertTrue(rows >= 1 && rows <= clips, root + ": " + rows + " rows from " + clips + " clips");
    assertEquals(shards.size(), manifest.get("files").size(), "the manifest hashes every shard");
    List<String> columns = columns(shards.get(0));
    assertTrue(columns.containsAll(List.of("clip_id", "caption", "num_frames", "height", "width", "frames")),
        "shard columns: " + columns);
    assertEquals(latents, columns.containsAll(List.of("latents", "latent_shape", "vae")), "latent columns: " + columns);
    if (latents) {
      assertEquals("vae@1", manifest.get("vae").get("ref").asText());
      assertEquals(S3 + "/models", manifest.get("vae").get("registry").asText());
    }
    assertEquals(S3 + "/captions", manifest.get("source").get("table").asText());
  }

  /**
   * Neither key may appear in any child's output, any stored object's bytes (manifests, reports,
   * _SUCCESS summaries, logs, weights), any Parquet footer's key-value metadata or any error row.
   */
  private void assertNoCredentials(Path bucket) throws IOException {
    List<String> secrets = List.of(secretKey, accessKey);
    for (Result r : runs) {
      for (String s : secrets) {
        assertFalse(String.join(" ", r.command()).contains(s), "a credential on a command line: " + r.command());
        assertFalse(r.output().contains(s), "a credential in the output of " + r.command());
      }
    }
    int files = 0;
    int footers = 0;
    int errorRows = 0;
    try (Stream<Path> all = Files.walk(bucket)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        files++;
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String s : secrets) {
          assertFalse(bytes.contains(s), "a credential in " + bucket.relativize(f));
        }
        if (f.toString().endsWith(".parquet")) {
          footers++;
          try (ParquetFileReader reader = ParquetFileReader.open(input(f))) {
            String meta = reader.getFooter().getFileMetaData().getKeyValueMetaData().toString();
            for (String s : secrets) {
              assertFalse(meta.contains(s), "a credential in the footer of " + bucket.relativize(f));
            }
          }
          if (bucket.relativize(f).toString().contains("_errors")) {
            for (Group row : groups(f)) {
              errorRows++;
              for (String s : secrets) {
                assertFalse(row.toString().contains(s), "a credential in an error row of " + bucket.relativize(f));
              }
            }
          }
        }
      }
    }
    assertTrue(files > 20 && footers > 4, "scanned " + files + " objects, " + footers + " Parquet footers, "
        + errorRows + " error rows");
  }

  // --- child processes -------------------------------------------------------------------------

  /** Runs bin/ying; fails the test with the output when it exits non-zero. Returns the output. */
  private String ying(String... args) throws Exception {
    Result r = run(yingCommand(args));
    if (r.exit() != 0) {
      fail("bin/ying " + String.join(" ", args) + " exited " + r.exit() + ":\n" + ChildProcess.tail(r.output()));
    }
    return r.output();
  }

  private List<String> yingCommand(String... args) {
    return ChildProcess.yingCommand(repo, args);
  }

  private String aws(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint));
    cmd.addAll(List.of(args));
    Result r = run(cmd);
    if (r.exit() != 0) {
      fail(String.join(" ", cmd) + " exited " + r.exit() + ":\n" + ChildProcess.tail(r.output()));
    }
    return r.output();
  }

  private Result run(List<String> command) throws Exception {
    String what = command.get(0).endsWith("ying") ? command.get(1) : "aws-" + command.get(3) + "-" + command.get(4);
    Path log = dir.resolve("logs").resolve(String.format("%02d-%s.log", runs.size(), what));
    Result r = ChildProcess.run(command, env, dir, log, Duration.ofMinutes(10));
    runs.add(r);
    return r;
  }

  /**
   * The children's environment: this one's, minus any AWS settings of the machine (profile, keys, config
   * files), plus the test server's keys. The keys are nowhere else: not on a command line, not in --conf.
   */
  private Map<String, String> childEnvironment() throws IOException {
    Map<String, String> e = new HashMap<>(System.getenv());
    e.keySet().removeIf(k -> k.startsWith("AWS_"));
    e.put("AWS_ACCESS_KEY_ID", accessKey);
    e.put("AWS_SECRET_ACCESS_KEY", secretKey);
    e.put("AWS_DEFAULT_REGION", "us-east-1");
    e.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
    e.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
    // botocore 1.36+ adds CRC32 checksum headers to every upload, which S3Proxy 2.4 answers with NotImplemented.
    e.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
    e.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
    e.put("YING_HEAP", "2g");
    return e;
  }

  /** The operator's conf/s3.properties with the test server's endpoint, plus what S3Proxy needs. */
  private Path s3Conf() throws IOException {
    String text = Files.readString(repo.resolve("conf/s3.properties"));
    String pointed = text.replaceFirst("(?m)^spark\\.hadoop\\.fs\\.s3a\\.endpoint\\s*=.*$",
        "spark.hadoop.fs.s3a.endpoint = " + endpoint);
    assertNotEquals(text, pointed, "conf/s3.properties sets spark.hadoop.fs.s3a.endpoint");
    Path conf = dir.resolve("s3-it.properties");
    Files.writeString(conf, pointed + String.join("\n",
        "",
        "# S3ProxyIT only. S3Proxy 2.4 rejects the streamed, chunk-signed uploads of S3A's optimized",
        "# copyFromLocalFile (XAmzContentSHA256Mismatch); the plain output stream works everywhere.",
        "spark.hadoop.fs.s3a.optimized.copy.from.local.enabled = false",
        "# Fail in seconds, not minutes of retries, when something is wrong.",
        "spark.hadoop.fs.s3a.retry.limit = 2",
        "spark.hadoop.fs.s3a.attempts.maximum = 2",
        ""));
    return conf;
  }

  private Set<String> listBucket() throws Exception {
    Set<String> keys = new TreeSet<>();
    for (String line : aws("s3", "ls", "--recursive", "s3://" + BUCKET).split("\n")) {
      String[] parts = line.trim().split("\\s+", 4);
      if (parts.length == 4) {
        keys.add(parts[3]);
      }
    }
    return keys;
  }

  /** A fresh local copy of a prefix of the bucket ("" for all of it). */
  private Path download(String prefix) throws Exception {
    Path to = Files.createTempDirectory(dir, "bucket-");
    aws("s3", "cp", "--recursive", "--only-show-errors", "s3://" + BUCKET + "/" + prefix, to.toString());
    return to;
  }

  private static void requireAwsCli() throws Exception {
    try {
      Process p = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() == 0) {
        return;
      }
    } catch (IOException missing) {
      // reported below
    }
    fail("the aws CLI is missing: apt-get install awscli (.ci/run does)");
  }

  // --- small things ------------------------------------------------------------------------------

  private static String random(String alphabet, int length) {
    SecureRandom r = new SecureRandom();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
