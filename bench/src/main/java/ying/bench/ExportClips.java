package ying.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.dataset.DatasetBatch;
import ying.core.dataset.DatasetLayout;
import ying.core.dataset.ShardReader;
import ying.core.io.Storage;
import ying.trainer.Publishing;

/**
 * Writes one bucket of a built dataset as a {@link RawClips} file, train clips first and val clips
 * last, with a JSON beside it naming the dataset, its content hash and the two counts, so that a checkpoint trained on the file elsewhere still records
 * exactly what it learned from.
 */
@Command(name = "export-clips", mixinStandardHelpOptions = true,
    description = "Write one bucket of a dataset as raw uint8 clips, train clips then val (for bench/gpu-device/train.sh).")
public final class ExportClips implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "A dataset from build-dataset.")
  String data;

  @Option(names = "--bucket", defaultValue = "96x64x49@8", description = "Bucket (default: ${DEFAULT-VALUE}).")
  String bucket;

  @Option(names = "--train-clips", defaultValue = "1000000", description = "At most this many train clips, first.")
  int trainClips;

  @Option(names = "--val-clips", defaultValue = "0", description = "At most this many val clips, last.")
  int valClips;

  @Option(names = "--out", required = true, description = "The raw file to write; FILE.json gets its provenance.")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ExportClips()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Storage storage = Storage.local();
    String uri = Storage.normalise(data);
    List<byte[]> clips = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    int[] shape = new int[3];
    int train = take(storage, uri, DatasetLayout.TRAIN, trainClips, clips, captions, shape);
    int val = take(storage, uri, DatasetLayout.VAL, valClips, clips, captions, shape);
    if (clips.isEmpty()) {
      throw new IllegalArgumentException(uri + " has no clips in bucket " + bucket);
    }
    int frames = shape[0];
    int height = shape[1];
    int width = shape[2];
    new RawClips(frames, height, width, clips, captions).write(out);
    ObjectMapper json = new ObjectMapper();
    ObjectNode p = json.createObjectNode();
    p.put("dataset", uri);
    p.put("dataset_sha256", Publishing.datasetHash(storage, uri));
    p.put("bucket", bucket);
    p.put("train_clips", train);
    p.put("val_clips", val);
    p.put("shape", frames + "x" + height + "x" + width);
    json.writerWithDefaultPrettyPrinter().writeValue(Path.of(out + ".json").toFile(), p);
    System.out.println("export-clips: " + clips.size() + " clips of " + frames + "x" + height + "x" + width + " to "
        + out + " (" + Files.size(out) / (1 << 20) + " MiB)");
    return 0;
  }

  /** Appends up to {@code max} clips of {@code split} in file order; returns how many. */
  private int take(Storage storage, String uri, String split, int max, List<byte[]> clips, List<String> captions,
      int[] shape) {
    int n = 0;
    for (DatasetBatch b : new ShardReader(storage, uri, split, bucket, 1, -1, 1)) {
      if (n >= max) {
        break;
      }
      shape[0] = b.frames();
      shape[1] = b.height();
      shape[2] = b.width();
      clips.add(b.pixels());
      captions.add(b.captions().get(0));
      n++;
    }
    return n;
  }
}
