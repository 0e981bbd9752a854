package ying.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ying.core.text.Tokenizer;

/**
 * Greedy and beam decoding over any next-token model, so Ying's captioner and an external one
 * decode the same way. The confidence of a caption is its mean token log-probability.
 *
 * <p>A clip may come as several views (windows of it): they are decoded as one, each next token
 * drawn from the mean of the views' distributions, since every view shows the one scene the caption
 * describes. Picking the most confident of separately decoded captions did worse than the middle
 * window alone; averaging lets the views outvote one that misreads a single word.
 */
final class CaptionSearch {
  /** Next-token logits {@code [rows, L, V]} for caption prefixes {@code [rows, L]} given each row's context. */
  interface NextToken {
    NDArray logits(NDArray context, NDArray prefix);
  }

  private final NextToken model;
  private final Tokenizer tokenizer;
  private final int maxTokens;

  CaptionSearch(NextToken model, Tokenizer tokenizer, int maxTokens) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
  }

  /** One caption per clip; clip {@code i} owns the next {@code views[i]} rows of {@code context}. */
  List<Caption> caption(NDManager scope, NDArray context, int[] views, int beam) {
    if (beam <= 1) {
      return greedy(scope, context, views);
    }
    List<Caption> out = new ArrayList<>();
    int row = 0;
    for (int v : views) {
      out.add(beamSearch(scope, context.get(row + ":" + (row + v)), v, beam));
      row += v;
    }
    return out;
  }

  private List<Caption> greedy(NDManager scope, NDArray context, int[] views) {
    int count = views.length;
    int[][] tokens = new int[count][maxTokens];
    double[] logProb = new double[count];
    int[] length = new int[count];
    boolean[] done = new boolean[count];
    for (int i = 0; i < count; i++) {
      tokens[i][0] = Tokenizer.BOS;
      length[i] = 1;
    }
    for (int step = 1; step < maxTokens; step++) {
      float[] last = lastLogProbs(scope, context, tokens, views, step);
      int vocab = last.length / count;
      boolean all = true;
      for (int i = 0; i < count; i++) {
        if (done[i]) {
          continue;
        }
        int best = 0;
        for (int v = 1; v < vocab; v++) {
          if (last[i * vocab + v] > last[i * vocab + best]) {
            best = v;
          }
        }
        tokens[i][step] = best;
        logProb[i] += last[i * vocab + best];
        length[i] = step + 1;
        done[i] = best == Tokenizer.EOS;
        all &= done[i];
      }
      if (all) {
        break;
      }
    }
    List<Caption> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Caption(tokenizer.decode(Arrays.copyOfRange(tokens[i], 1, length[i])), logProb[i] / (length[i] - 1)));
    }
    return out;
  }

  /**
   * Log-probabilities of the next token after the first {@code length} tokens of each row of
   * {@code tokens}, whose row {@code i} is read against the next {@code views[i]} rows of {@code
   * context} and their probabilities averaged: [rows * V].
   */
  private float[] lastLogProbs(NDManager scope, NDArray context, int[][] tokens, int[] views, int length) {
    int contexts = Arrays.stream(views).sum();
    int[] flat = new int[contexts * length];
    int row = 0;
    for (int i = 0; i < tokens.length; i++) {
      for (int v = 0; v < views[i]; v++, row++) {
        System.arraycopy(tokens[i], 0, flat, row * length, length);
      }
    }
    float[] each;
    // Everything a step makes is freed when it ends, whatever manager it went to: arrays derived from
    // the context or from a parameter attach to theirs and would otherwise outlive the step.
    try (NDScope step = new NDScope()) {
      NDArray prefix = scope.create(flat, new Shape(contexts, length));
      NDArray logits = model.logits(context, prefix); // [contexts, L, V]
      each = logits.get(":, -1, :").logSoftmax(-1).toFloatArray();
    }
    if (contexts == tokens.length) {
      return each;
    }
    int vocab = each.length / contexts;
    float[] out = new float[tokens.length * vocab];
    row = 0;
    for (int i = 0; i < tokens.length; i++) {
      for (int t = 0; t < vocab; t++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < views[i]; v++) {
          max = Math.max(max, each[(row + v) * vocab + t]);
        }
        double sum = 0;
        for (int v = 0; v < views[i]; v++) {
          sum += Math.exp(each[(row + v) * vocab + t] - max);
        }
        out[i * vocab + t] = (float) (max + Math.log(sum / views[i]));
      }
      row += views[i];
    }
    return out;
  }

  /**
   * Beam search; finished hypotheses compete on mean token log-probability, so length is not
   * penalised. It ends when no live beam can still beat the best finished one: a live beam's mean
   * can rise towards 0 as likely tokens follow, but no higher than its total over the longest
   * caption. Stopping once {@code width} hypotheses had finished let unlikely early ends (each
   * candidate end counts) stop a peaked model before its likely caption was done.
   */
  private Caption beamSearch(NDManager scope, NDArray context, int views, int width) {
    List<int[]> beams = new ArrayList<>(List.of(new int[] {Tokenizer.BOS}));
    List<Double> scores = new ArrayList<>(List.of(0.0));
    int[] best = null;
    double bestMean = Double.NEGATIVE_INFINITY;
    for (int step = 1; step < maxTokens && !beams.isEmpty() && bestMean < scores.get(0) / (maxTokens - 1); step++) {
      int[][] rows = beams.toArray(int[][]::new);
      int[] each = new int[rows.length];
      Arrays.fill(each, views);
      // Beam b reads rows b * views .. b * views + views - 1 of the tiled context: its clip's views.
      long[] tiles = new long[context.getShape().dimension()];
      Arrays.fill(tiles, 1);
      tiles[0] = rows.length;
      float[] lp = lastLogProbs(scope, context.tile(tiles), rows, each, step);
      int vocab = lp.length / rows.length;
      double[] total = new double[lp.length];
      Integer[] order = new Integer[lp.length];
      for (int i = 0; i < lp.length; i++) {
        total[i] = scores.get(i / vocab) + lp[i];
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(total[b], total[a]));
      List<int[]> next = new ArrayList<>();
      List<Double> nextScores = new ArrayList<>();
      for (int o = 0; o < order.length && next.size() < width; o++) {
        int token = order[o] % vocab;
        int[] extended = Arrays.copyOf(rows[order[o] / vocab], step + 1);
        extended[step] = token;
        if (token == Tokenizer.EOS) {
          if (total[order[o]] / step > bestMean) {
            bestMean = total[order[o]] / step;
            best = extended;
          }
        } else if (token != Tokenizer.PAD && token != Tokenizer.BOS) {
          next.add(extended);
          nextScores.add(total[order[o]]);
        }
      }
      beams = next;
      scores = nextScores;
    }
    if (best == null) {
      best = beams.isEmpty() ? new int[] {Tokenizer.BOS} : beams.get(0);
      bestMean = scores.isEmpty() ? Double.NEGATIVE_INFINITY : scores.get(0) / Math.max(1, best.length - 1);
    }
    return new Caption(tokenizer.decode(Arrays.copyOfRange(best, 1, best.length)), bestMean);
  }
}
