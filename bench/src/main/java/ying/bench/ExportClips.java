package ying.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
import ying.inference.vae.VaeModel;
import ying.trainer.Publishing;

/**
 * Writes one bucket of a built dataset as a {@link RawClips} file (or, with {@code --latents}, the
 * clips' VAE latents as a {@link RawLatents} file), train clips first and val clips last, with a
 * JSON beside it naming the dataset, its content hash and the two counts, so that a checkpoint
 * trained on the file elsewhere still records exactly what it learned from. With {@code --vae} the
 * latents are encoded here from the clips' frames, so one pixel dataset serves any VAE (or any way
 * of using one, such as {@code settle_latents}) without building it again.
 */
@Command(name = "export-clips", mixinStandardHelpOptions = true,
    description = "Write one bucket of a dataset as raw uint8 clips (or their latents), train clips then val (for"
        + " bench/gpu-device/train.sh).")
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

  @Option(names = "--latents", description = "Write the clips' VAE latents (a dataset built with --vae), not their frames.")
  boolean latents;

  @Option(names = "--vae", paramLabel = "DIR", description = {"Write latents encoded here from the clips' frames with",
      "the VAE checkpoint in DIR (e.g. models/vae/5, or one SettleVae published) instead of the dataset's own."})
  Path vae;

  private VaeModel encoder;

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
    int[][] latentShape = {null};
    int train;
    int val;
    String encodedBy = null;
    if (vae != null) {
      JsonNode m = RawRun.JSON.readTree(vae.resolve("manifest.json").toFile());
      encodedBy = m.path("name").asText() + "@" + m.path("version").asText();
      latents = true;
      encoder = StillClipLatents.loadVae(vae);
    }
    try {
      train = take(storage, uri, DatasetLayout.TRAIN, trainClips, clips, captions, shape, latentShape);
      val = take(storage, uri, DatasetLayout.VAL, valClips, clips, captions, shape, latentShape);
    } finally {
      if (encoder != null) {
        encoder.close();
      }
    }
    if (clips.isEmpty()) {
      throw new IllegalArgumentException(uri + " has no clips in bucket " + bucket);
    }
    int frames = shape[0];
    int height = shape[1];
    int width = shape[2];
    if (latents) {
      new RawLatents(frames, height, width, latentShape[0], clips, captions).write(out);
    } else {
      new RawClips(frames, height, width, clips, captions).write(out);
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode p = json.createObjectNode();
    p.put("dataset", uri);
    p.put("dataset_sha256", Publishing.datasetHash(storage, uri));
    p.put("bucket", bucket);
    p.put("train_clips", train);
    p.put("val_clips", val);
    p.put("shape", frames + "x" + height + "x" + width);
    if (encodedBy != null) {
      p.put("latents", encodedBy);
      p.put("latents_encoded_from", "the clips' frames, by ExportClips --vae " + vae);
    } else if (latents) {
      String ref = new ObjectMapper().readTree(storage.readString(new DatasetLayout(uri).manifest())).path("vae")
          .path("ref").asText();
      p.put("latents", ref);
      p.put("latent_shape", java.util.Arrays.stream(latentShape[0]).mapToObj(Integer::toString)
          .collect(java.util.stream.Collectors.joining("x")));
    }
    json.writerWithDefaultPrettyPrinter().writeValue(Path.of(out + ".json").toFile(), p);
    System.out.println("export-clips: " + clips.size() + " clips of " + frames + "x" + height + "x" + width + " to "
        + out + " (" + Files.size(out) / (1 << 20) + " MiB)");
    return 0;
  }

  /** Appends up to {@code max} clips (or their latents) of {@code split} in file order; returns how many. */
  private int take(Storage storage, String uri, String split, int max, List<byte[]> clips, List<String> captions,
      int[] shape, int[][] latentShape) {
    int n = 0;
    for (DatasetBatch b : new ShardReader(storage, uri, split, bucket, 1, -1, 1)) {
      if (n >= max) {
        break;
      }
      if (encoder == null && latents && !b.hasLatents()) {
        throw new IllegalArgumentException(uri + " holds no latents: build it with --vae, or export without --latents");
      }
      shape[0] = b.frames();
      shape[1] = b.height();
      shape[2] = b.width();
      if (encoder != null) {
        VaeModel.HalfLatents z = encoder.encodeMeansAsHalf(b.pixels(), b.frames(), b.height(), b.width());
        latentShape[0] = z.clipShape();
        clips.add(z.bytes());
      } else {
        latentShape[0] = b.latentShape();
        clips.add(latents ? b.latents() : b.pixels());
      }
      captions.add(b.captions().get(0));
      n++;
    }
    return n;
  }
}
