package ying.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ying.core.text.Tokenizer;

/**
 * Greedy and beam decoding over any next-token model, so Ying's captioner and an external one
 * decode the same way. The confidence of a caption is its mean token log-probability.
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

  /** Captions each row of {@code context} ({@code [count, ...]}). */
  List<Caption> caption(NDManager scope, NDArray context, int count, int beam) {
    if (beam <= 1) {
      return greedy(scope, context, count);
    }
    List<Caption> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(beamSearch(scope, context.get(i + ":" + (i + 1)), beam));
    }
    return out;
  }

  private List<Caption> greedy(NDManager scope, NDArray context, int count) {
    int[][] tokens = new int[count][maxTokens];
    double[] logProb = new double[count];
    int[] length = new int[count];
    boolean[] done = new boolean[count];
    for (int i = 0; i < count; i++) {
      tokens[i][0] = Tokenizer.BOS;
      length[i] = 1;
    }
    for (int step = 1; step < maxTokens; step++) {
      float[] last = lastLogProbs(scope, context, tokens, step);
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

  /** Log-probabilities of the next token after the first {@code length} tokens of each row: [rows * V]. */
  private float[] lastLogProbs(NDManager scope, NDArray context, int[][] tokens, int length) {
    int rows = tokens.length;
    int[] flat = new int[rows * length];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(tokens[i], 0, flat, i * length, length);
    }
    try (NDManager step = scope.newSubManager()) {
      NDArray prefix = step.create(flat, new Shape(rows, length));
      NDArray logits = model.logits(context, prefix); // [rows, L, V]
      return logits.get(":, -1, :").logSoftmax(-1).toFloatArray();
    }
  }

  /** Beam search; finished hypotheses compete on mean token log-probability, so length is not penalised. */
  private Caption beamSearch(NDManager scope, NDArray context, int width) {
    List<int[]> beams = new ArrayList<>(List.of(new int[] {Tokenizer.BOS}));
    List<Double> scores = new ArrayList<>(List.of(0.0));
    int[] best = null;
    double bestMean = Double.NEGATIVE_INFINITY;
    int finished = 0;
    for (int step = 1; step < maxTokens && !beams.isEmpty() && finished < width; step++) {
      int[][] rows = beams.toArray(int[][]::new);
      float[] lp = lastLogProbs(scope, context.repeat(0, rows.length), rows, step);
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
          finished++;
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
