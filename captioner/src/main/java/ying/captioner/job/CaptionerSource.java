package ying.captioner.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ying.captioner.model.Captioner;
import ying.captioner.model.CaptionerModel;
import ying.captioner.model.TorchScriptCaptioner;
import ying.core.io.Hashing;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;

/**
 * Where the caption job's model comes from, resolved once on the driver: an exact version in a
 * registry, or an external TorchScript folder named by its content. {@link #label} is what the
 * output's {@code caption_model} column and partition say, so a changed external model is a new
 * version and reruns stay incremental.
 *
 * @param externalUri the TorchScript folder, or null for a registry model
 */
public record CaptionerSource(String label, String registry, String externalUri) implements Serializable {
  // In the executor's log (a worker's work dir on a cluster): which URI each executor loaded its model from.
  private static final Logger LOG = LoggerFactory.getLogger(CaptionerSource.class);

  /**
   * {@code --model} is a registry ref ({@code NAME[@VERSION]}, no slash) or a folder URI holding the
   * TorchScript contract's files (a path to its {@code model.pt} is taken as its folder).
   */
  public static CaptionerSource resolve(Storage storage, String model, String registry) throws IOException {
    // Absolute on the driver: a relative path would resolve against each executor's working directory.
    registry = Storage.normalise(registry);
    if (!model.contains("/")) {
      return new CaptionerSource(new Registry(storage, registry).resolve(ModelRef.parse(model)).toString(), registry,
          null);
    }
    String dir = Storage.normalise(model);
    if (dir.endsWith("/" + TorchScriptCaptioner.MODEL_FILE)) {
      dir = dir.substring(0, dir.length() - TorchScriptCaptioner.MODEL_FILE.length() - 1);
    }
    for (String f : TorchScriptCaptioner.FILES) {
      if (!storage.exists(Storage.join(dir, f))) {
        throw new IllegalArgumentException("--model " + model + " is neither a registry ref nor a TorchScript "
            + "captioner folder: " + Storage.join(dir, f) + " is missing (see docs/captioner-contract.md)");
      }
    }
    String sha;
    try (InputStream in = storage.open(Storage.join(dir, TorchScriptCaptioner.MODEL_FILE))) {
      sha = Hashing.sha256(in);
    }
    String name = Storage.fileName(dir).replaceAll("[^A-Za-z0-9._-]", "_");
    return new CaptionerSource((name.isEmpty() ? "external" : name) + "@ts-" + sha.substring(0, 12), registry, dir);
  }

  /** Loads the model (on an executor): registry checkpoints are verified, external files copied locally. */
  public Captioner open(Storage storage) throws IOException {
    LOG.info("loading captioner {} from {}", label, externalUri == null ? registry : externalUri);
    if (externalUri == null) {
      try (Checkpoint ckpt = new Registry(storage, registry).load(ModelRef.parse(label))) {
        return CaptionerModel.load(ckpt);
      }
    }
    Path local = Files.createTempDirectory("ying-external-captioner-");
    try {
      for (String f : TorchScriptCaptioner.FILES) {
        try (InputStream in = storage.open(Storage.join(externalUri, f))) {
          Files.copy(in, local.resolve(f));
        }
      }
      return TorchScriptCaptioner.load(local);
    } finally {
      // TorchScript and the tokenizer are in memory once loaded.
      for (String f : TorchScriptCaptioner.FILES) {
        Files.deleteIfExists(local.resolve(f));
      }
      Files.deleteIfExists(local);
    }
  }
}
