package ying.trainer.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import ying.core.cli.Progress;
import ying.core.dataset.DatasetBatch;
import ying.core.dataset.DatasetLayout;
import ying.core.dataset.ShardReader;
import ying.core.io.Storage;
import ying.core.video.VideoQuality;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.inference.vae.VideoTensors;

/**
 * Whole clips through the VAE and back (posterior mean, no sampling), scored with
 * {@link VideoQuality}; also the latents' spread, which the DiT needs to scale its inputs.
 */
public final class VaeEvaluation {
  /** Clips encoded at a time: whole clips are large, and batching them buys little on a CPU. */
  private static final int BATCH = 1;

  private VaeEvaluation() {}

  /**
   * @param quality reconstruction scores
   * @param latentStd standard deviation of the latent means over all values of all clips
   * @param secondsPerClip wall time of encode + decode per clip
   */
  public record Result(VideoQuality.Report quality, double latentMean, double latentStd, double secondsPerClip) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(quality.toMap());
      m.put("latent_mean", Math.round(latentMean * 10000) / 10000.0);
      m.put("latent_std", Math.round(latentStd * 10000) / 10000.0);
      m.put("seconds_per_clip", Math.round(secondsPerClip * 100) / 100.0);
      return m;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%s; latents mean %.3f, std %.3f; %.2f s per clip", quality,
          latentMean, latentStd, secondsPerClip);
    }
  }

  /**
   * Scores up to {@code maxClips} clips of {@code split} ({@code null} for every split), each cut to
   * the longest 1+4k frames and the largest multiple of 8 in height and width it holds (centred).
   */
  public static Result run(VaeModel vae, Storage storage, String data, String split, int maxClips, String progressName) {
    VideoQuality quality = new VideoQuality();
    double sum = 0;
    double sumSquares = 0;
    long values = 0;
    long nanos = 0;
    int seen = 0;
    Progress progress = new Progress(progressName, "clips", maxClips);
    for (String s : split == null ? new String[] {DatasetLayout.TRAIN, DatasetLayout.VAL} : new String[] {split}) {
      for (DatasetBatch batch : new ShardReader(storage, data, s, null, BATCH, -1, 1)) {
        if (seen >= maxClips) {
          break;
        }
        long t0 = System.nanoTime();
        double[] z = reconstruct(vae, batch, Integer.MAX_VALUE, quality);
        nanos += System.nanoTime() - t0;
        sum += z[0];
        sumSquares += z[1];
        values += (long) z[2];
        seen += batch.size();
        progress.update(Math.min(seen, maxClips));
      }
    }
    if (seen == 0) {
      throw new IllegalArgumentException(data + " has no clips in " + (split == null ? "any split" : "its " + split
          + " split"));
    }
    double mean = sum / values;
    return new Result(quality.report(), mean, Math.sqrt(Math.max(0, sumSquares / values - mean * mean)),
        nanos / 1e9 / seen);
  }

  /**
   * Encodes the clips of {@code batch} (cut to at most {@code maxFrames} frames, then to the longest
   * 1+4k frames and the largest multiple of 8 in height and width, centred), decodes the posterior
   * means and scores the result into {@code quality}. Returns the latents' sum, sum of squares and count.
   */
  static double[] reconstruct(VaeModel vae, DatasetBatch batch, int maxFrames, VideoQuality quality) {
    VaeConfig c = vae.config();
    int t = c.videoFrames(1 + (Math.min(batch.frames(), maxFrames) - 1) / c.temporalFactor());
    int h = batch.height() / c.spatialFactor() * c.spatialFactor();
    int w = batch.width() / c.spatialFactor() * c.spatialFactor();
    if (h == 0 || w == 0) {
      throw new IllegalArgumentException("clips of " + batch.width() + "x" + batch.height() + " are smaller than the"
          + " VAE's " + c.spatialFactor() + "x" + c.spatialFactor() + " latent cell");
    }
    byte[] clips = VaeCrops.centre(batch, t, h, w);
    try (NDManager scope = vae.djlModel().getNDManager().newSubManager()) {
      NDArray z = vae.encode(scope, clips, t, h, w).mode();
      byte[] back = VideoTensors.toBytes(vae.decode(z, (int) z.getShape().get(2)));
      int clipBytes = t * h * w * 3;
      for (int i = 0; i < batch.size(); i++) {
        quality.add(clips, i * clipBytes, back, i * clipBytes, t, h, w);
      }
      return new double[] {z.sum().getFloat(), z.square().sum().getFloat(), z.getShape().size()};
    }
  }
}
