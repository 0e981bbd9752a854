package ying.trainer.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ying.captioner.eval.CaptionScores;
import ying.captioner.model.Caption;
import ying.captioner.model.Captioner;
import ying.captioner.model.FrameFit;
import ying.captioner.model.FrameSampler;
import ying.core.cli.Progress;
import ying.core.dataset.Bucket;
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
 * {@link VideoQuality}; also the latents' spread, which the DiT needs to scale its inputs, and,
 * with a captioner as judge, whether what a caption names survives the round trip.
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
  public record Result(VideoQuality.Report quality, double latentMean, double latentStd, double secondsPerClip,
      Judged judged) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(quality.toMap());
      m.put("latent_mean", Math.round(latentMean * 10000) / 10000.0);
      m.put("latent_std", Math.round(latentStd * 10000) / 10000.0);
      m.put("seconds_per_clip", Math.round(secondsPerClip * 100) / 100.0);
      if (judged != null) {
        m.put("captioner", judged.captioner());
        m.put("captioned_inputs", judged.inputs().toMap());
        m.put("captioned_reconstructions", judged.reconstructions().toMap());
      }
      return m;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%s; latents mean %.3f, std %.3f; %.2f s per clip", quality,
          latentMean, latentStd, secondsPerClip);
    }
  }

  /**
   * One captioner's captions of the input clips and of their reconstructions, each scored against
   * the clip's own caption: the generator's ceiling, since eval-generation judges decoded latents
   * with a captioner too. Where the inputs score well and the reconstructions do not, the VAE loses
   * what the caption names (a triangle's corners, a small object's colour).
   */
  public record Judged(String captioner, CaptionScores inputs, CaptionScores reconstructions) {}

  /** As below, with no captioner. */
  public static Result run(VaeModel vae, Storage storage, String data, String split, int maxClips, String progressName) {
    return run(vae, storage, data, split, maxClips, progressName, null, null);
  }

  /**
   * Scores up to {@code maxClips} clips of {@code split} ({@code null} for every split), each cut to
   * the longest 1+4k frames and the largest multiple of 8 in height and width it holds (centred).
   * With a {@code judge}, it also captions each input and its reconstruction (clips must be the
   * judge's frame size) and scores both against the clip's caption.
   */
  public static Result run(VaeModel vae, Storage storage, String data, String split, int maxClips, String progressName,
      Captioner judge, String judgeLabel) {
    Judged judged = judge == null ? null : new Judged(judgeLabel, new CaptionScores(), new CaptionScores());
    VideoQuality quality = new VideoQuality();
    double sum = 0;
    double sumSquares = 0;
    long values = 0;
    long nanos = 0;
    int seen = 0;
    Progress progress = new Progress(progressName, "clips", maxClips);
    for (String s : split == null ? new String[] {DatasetLayout.TRAIN, DatasetLayout.VAL} : new String[] {split}) {
      // Bucket by bucket, in the order a reader of the whole split takes them, to know each clip's rate.
      for (String bucket : new ShardReader(storage, data, s, null, BATCH, -1, 1).bucketNames()) {
        double fps = Bucket.parse(bucket).fps();
        for (DatasetBatch batch : new ShardReader(storage, data, s, bucket, BATCH, -1, 1)) {
          if (seen >= maxClips) {
            break;
          }
          long t0 = System.nanoTime();
          double[] z = reconstruct(vae, batch, Integer.MAX_VALUE, quality, judge, judged, fps);
          nanos += System.nanoTime() - t0;
          sum += z[0];
          sumSquares += z[1];
          values += (long) z[2];
          seen += batch.size();
          progress.update(Math.min(seen, maxClips));
        }
      }
    }
    if (seen == 0) {
      throw new IllegalArgumentException(data + " has no clips in " + (split == null ? "any split" : "its " + split
          + " split"));
    }
    double mean = sum / values;
    return new Result(quality.report(), mean, Math.sqrt(Math.max(0, sumSquares / values - mean * mean)),
        nanos / 1e9 / seen, judged);
  }

  /**
   * Encodes the clips of {@code batch} (cut to at most {@code maxFrames} frames, then to the longest
   * 1+4k frames and the largest multiple of 8 in height and width, centred), decodes the posterior
   * means and scores the result into {@code quality}. Returns the latents' sum, sum of squares and count.
   */
  static double[] reconstruct(VaeModel vae, DatasetBatch batch, int maxFrames, VideoQuality quality) {
    return reconstruct(vae, batch, maxFrames, quality, null, null, 0);
  }

  /** @param fps the clips' frame rate, which places the judge's window in them */
  private static double[] reconstruct(VaeModel vae, DatasetBatch batch, int maxFrames, VideoQuality quality,
      Captioner judge, Judged judged, double fps) {
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
        if (judge != null) {
          judge(judge, judged, batch.captions().get(i), clips, back, i * clipBytes, t, h, w, fps);
        }
      }
      return new double[] {z.sum().getFloat(), z.square().sum().getFloat(), z.getShape().size()};
    }
  }

  /**
   * Captions one clip and its reconstruction in one batch, from the same frames: spread over the
   * middle of the clip as long as the judge's window, as the caption job would pick them.
   */
  private static void judge(Captioner judge, Judged judged, String caption, byte[] input, byte[] output, int offset,
      int t, int h, int w, double fps) {
    if (!FrameFit.fits(h, w, judge.height(), judge.width())) {
      throw new IllegalArgumentException("the captioner takes " + judge.width() + "x" + judge.height()
          + " frames; these clips are " + w + "x" + h + " after the VAE's crop: build the dataset with a bucket of "
          + "that size or one whole factor smaller or larger");
    }
    int frameBytes = h * w * 3;
    int[] picked = windowFrames(t, fps, judge.windowSeconds(), judge.frames());
    byte[] both = new byte[2 * judge.frames() * frameBytes];
    FrameSampler.copy(input, offset, frameBytes, picked, both, 0);
    FrameSampler.copy(output, offset, frameBytes, picked, both, judge.frames() * frameBytes);
    List<Caption> captions = judge.caption(FrameFit.fit(both, 2 * judge.frames(), h, w, judge.height(),
        judge.width()), 2, 1);
    judged.inputs().add(captions.get(0).text(), caption);
    judged.reconstructions().add(captions.get(1).text(), caption);
  }

  /** Indices of {@code count} frames spread over the middle {@code windowSeconds} (at most all) of {@code t} frames at {@code fps}. */
  static int[] windowFrames(int t, double fps, double windowSeconds, int count) {
    int span = Math.max(1, Math.min(t, (int) Math.round(windowSeconds * fps)));
    int[] picked = FrameSampler.indices(span, count, 0, null);
    for (int k = 0; k < picked.length; k++) {
      picked[k] += (t - span) / 2;
    }
    return picked;
  }
}
