package ying.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ying.core.dataset.DatasetLayout;
import ying.core.io.Storage;
import ying.core.report.Charts;

/** What every trainer does around a publish: name the exact data, stage files locally, clean up. */
public final class Publishing {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Publishing() {}

  /** The dataset's content hash from its manifest: what the checkpoint was trained on, exactly. */
  public static String datasetHash(Storage storage, String data) throws IOException {
    JsonNode manifest = JSON.readTree(storage.readString(new DatasetLayout(data).manifest()));
    return manifest.get("content_sha256").asText();
  }

  /** Columns of {@link #writeLossLog}'s CSV. */
  public static final String LOSS_LOG_HEADER = "step,loss,learning_rate,seconds,val_loss";

  /**
   * Writes a run's {@code training_log.csv} and {@code training.png} (the loss, train and val, and
   * the learning rate) into {@code dir}, from rows {@code [step, loss, learning rate, seconds, val
   * loss]} whose val loss is NaN where it was not measured.
   */
  public static void writeLossLog(Path dir, List<double[]> log, String lossTitle) throws IOException {
    StringBuilder csv = new StringBuilder(LOSS_LOG_HEADER).append('\n');
    for (double[] r : log) {
      csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6g,%.1f,%s%n", (long) r[0], r[1], r[2], r[3],
          Double.isNaN(r[4]) ? "" : String.format(Locale.ROOT, "%.6f", r[4])));
    }
    Files.writeString(dir.resolve("training_log.csv"), csv);
    List<double[]> measured = log.stream().filter(r -> !Double.isNaN(r[4])).toList();
    double[] steps = log.stream().mapToDouble(r -> r[0]).toArray();
    Files.write(dir.resolve("training.png"), Charts.png(List.of(
        new Charts.Series(lossTitle, "step", List.of("train", "val"),
            List.of(steps, measured.stream().mapToDouble(r -> r[0]).toArray()),
            List.of(log.stream().mapToDouble(r -> r[1]).toArray(), measured.stream().mapToDouble(r -> r[4]).toArray())),
        new Charts.Series("Learning rate", "step", List.of("lr"), List.of(steps),
            List.of(log.stream().mapToDouble(r -> r[2]).toArray()))), 2));
  }

  /** Reads back the rows of a {@code training_log.csv} that {@link #writeLossLog} wrote. */
  public static List<double[]> readLossLog(Path csv) throws IOException {
    return readLog(csv, LOSS_LOG_HEADER);
  }

  /** The numeric rows of a training log CSV whose first line is {@code header} (empty cells as NaN). */
  public static List<double[]> readLog(Path csv, String header) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    if (lines.isEmpty() || !lines.get(0).equals(header)) {
      throw new IOException(csv + " is not a training log with the columns " + header);
    }
    List<double[]> rows = new java.util.ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      double[] r = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        r[i] = f[i].isEmpty() ? Double.NaN : Double.parseDouble(f[i]);
      }
      rows.add(r);
    }
    return rows;
  }

  /** The manifest fields every run records beside its metrics: how to make it again. */
  public static Map<String, Object> runFacts(String command, long seed, int steps, int batch, float learningRate) {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("command", command);
    extra.put("seed", seed);
    extra.put("steps", steps);
    extra.put("batch", batch);
    extra.put("learning_rate", learningRate);
    return extra;
  }

  /** A local folder to stage a checkpoint's files in before the registry copies them. */
  public interface Staged<T> {
    T in(Path dir) throws IOException;
  }

  /** Runs {@code body} with a fresh temporary folder and deletes the folder afterwards, whatever happens. */
  public static <T> T staged(String prefix, Staged<T> body) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    try {
      return body.in(dir);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
