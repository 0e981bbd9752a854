package ying.bench;

import java.util.Iterator;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import ying.core.dataset.DatasetBatch;
import ying.inference.vae.VaeModel;
import ying.trainer.dit.DitTrainer;

/**
 * DiT training batches of clips rendered from the synthetic world ({@link RenderedClips}) and encoded
 * by the VAE on the training device as they come, alone or mixed with a raw latent file's batches. A
 * latent file has to fit what a GPU machine is lent (64 MiB: 1,850 17-frame clips), and a DiT that
 * sees those clips hundreds of times learns them by heart; rendered clips are new every step. The
 * rendering threads work ahead of the trainer; the encoding runs on the trainer's thread and device,
 * where a GPU makes it cheap (on a 2-core CPU it costs several DiT steps a batch).
 */
final class RenderedLatents implements AutoCloseable {
  private final RenderedClips clips;
  private final VaeModel vae;
  private long rendered;
  private long fromFile;

  /**
   * @param clips rendered pixel clips of the latent file's frame count and size
   * @param vae the VAE whose latents the file holds; closed with this
   */
  RenderedLatents(RenderedClips clips, VaeModel vae) {
    this.clips = clips;
    this.vae = vae;
  }

  RenderedClips clips() {
    return clips;
  }

  /** Rendered and encoded batches only (the --seconds probe times these: the slower kind). */
  Iterator<DatasetBatch> alone() {
    return endless(this::next);
  }

  /**
   * Endless batches, each from {@code file} with chance {@code fileShare} (drawn from {@code rng}, so a
   * seed gives the same mix), else rendered and encoded.
   */
  Iterator<DatasetBatch> mixedWith(Iterator<DatasetBatch> file, double fileShare, Random rng) {
    if (!(fileShare >= 0 && fileShare <= 1)) {
      throw new IllegalArgumentException("the file's share of batches is between 0 and 1, got " + fileShare);
    }
    return endless(() -> {
      if (rng.nextDouble() < fileShare) {
        fromFile++;
        return file.next();
      }
      rendered++;
      return next();
    });
  }

  private DatasetBatch next() {
    DatasetBatch z = DitTrainer.encoded(clips.next(), vae);
    // The pixels have served; the DiT reads latents only.
    return new DatasetBatch(z.clipIds(), z.captions(), z.frames(), z.height(), z.width(), new byte[0], z.latents(),
        z.latentShape());
  }

  private static Iterator<DatasetBatch> endless(Supplier<DatasetBatch> next) {
    return Stream.generate(next).iterator();
  }

  /** Rendered batches that {@link #mixedWith} has given so far. */
  long rendered() {
    return rendered;
  }

  /** File batches that {@link #mixedWith} has given so far. */
  long fromFile() {
    return fromFile;
  }

  @Override
  public void close() {
    try (vae) {
      clips.close();
    }
  }
}
