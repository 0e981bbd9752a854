package ying.captioner.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ying.core.registry.Checkpoint;

/**
 * A captioner ready to use: the network, its tokenizer and its config, with greedy and beam
 * decoding. Frames come in as {@code uint8 [B, T, H, W, 3]} at the config's size.
 */
public final class CaptionerModel implements AutoCloseable {
  public static final String PARAMS = "captioner";
  public static final String PARAMS_FILE = PARAMS + "-0000.params";
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private final Model model;
  private final VideoCaptioner network;
  private final Tokenizer tokenizer;

  private CaptionerModel(Model model, VideoCaptioner network, Tokenizer tokenizer) {
    this.model = model;
    this.network = network;
    this.tokenizer = tokenizer;
  }

  /** A freshly initialised model (Xavier weights) for training from scratch. */
  public static CaptionerModel create(CaptionerConfig config, Tokenizer tokenizer) {
    Model model = Model.newInstance("captioner");
    VideoCaptioner net = new VideoCaptioner(config);
    net.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
    model.setBlock(net);
    net.initialize(model.getNDManager(), DataType.FLOAT32, frameShape(config, 1), new Shape(1, 2));
    return new CaptionerModel(model, net, tokenizer);
  }

  /** Loads a verified checkpoint (see {@link ying.core.registry.Registry#load}). */
  public static CaptionerModel load(Checkpoint checkpoint) throws IOException {
    CaptionerConfig config = CaptionerConfig.fromJson(checkpoint.config());
    Tokenizer tokenizer = Tokenizer.load(checkpoint.file(TOKENIZER_FILE));
    return load(checkpoint.dir(), config, tokenizer);
  }

  static CaptionerModel load(Path dir, CaptionerConfig config, Tokenizer tokenizer) throws IOException {
    CaptionerModel m = create(config, tokenizer);
    try {
      m.model.load(dir, PARAMS);
    } catch (MalformedModelException e) {
      m.close();
      throw new IOException("captioner weights in " + dir + " do not fit its config: " + e.getMessage(), e);
    }
    return m;
  }

  /** Writes the weights and tokenizer into {@code dir} (the config goes into the manifest). */
  public void save(Path dir) throws IOException {
    model.setProperty("Epoch", "0");
    model.save(dir, PARAMS);
    tokenizer.save(dir.resolve(TOKENIZER_FILE));
  }

  public Model djlModel() {
    return model;
  }

  public VideoCaptioner network() {
    return network;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public CaptionerConfig config() {
    return network.config();
  }

  static Shape frameShape(CaptionerConfig c, long batch) {
    return new Shape(batch, c.frames(), c.height(), c.width(), 3);
  }

  /**
   * Captions {@code count} clips packed in {@code frames} (uint8 [count, T, H, W, 3]). A beam of 1
   * decodes greedily.
   */
  public List<Caption> caption(byte[] frames, int count, int beam) {
    CaptionerConfig c = config();
    int clipBytes = c.frames() * c.height() * c.width() * 3;
    if (frames.length != (long) count * clipBytes) {
      throw new IllegalArgumentException("expected " + count + " clips of " + c.frames() + "x" + c.height() + "x"
          + c.width() + "x3 bytes, got " + frames.length + " bytes");
    }
    List<Caption> out = new ArrayList<>();
    try (NDManager scope = model.getNDManager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      NDArray video = network.encode(ps, scope.create(ByteBuffer.wrap(frames), frameShape(c, count), DataType.UINT8),
          false); // [B, N, D]
      if (beam <= 1) {
        out.addAll(greedy(ps, scope, video, count));
      } else {
        for (int i = 0; i < count; i++) {
          out.add(beamSearch(ps, scope, video.get(i + ":" + (i + 1)), beam));
        }
      }
    }
    return out;
  }

  private List<Caption> greedy(ParameterStore ps, NDManager scope, NDArray video, int count) {
    int max = config().maxTokens();
    int[][] tokens = new int[count][max];
    double[] logProb = new double[count];
    int[] length = new int[count];
    boolean[] done = new boolean[count];
    for (int i = 0; i < count; i++) {
      tokens[i][0] = Tokenizer.BOS;
      length[i] = 1;
    }
    for (int step = 1; step < max; step++) {
      float[] last = lastLogProbs(ps, scope, video, tokens, step);
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
  private float[] lastLogProbs(ParameterStore ps, NDManager scope, NDArray video, int[][] tokens, int length) {
    int rows = tokens.length;
    int[] flat = new int[rows * length];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(tokens[i], 0, flat, i * length, length);
    }
    try (NDManager step = scope.newSubManager()) {
      NDArray prefix = step.create(flat, new Shape(rows, length));
      NDArray logits = network.decode(ps, video, prefix, false); // [rows, L, V]
      return logits.get(":, -1, :").logSoftmax(-1).toFloatArray();
    }
  }

  /** Beam search; finished hypotheses compete on mean token log-probability, so length is not penalised. */
  private Caption beamSearch(ParameterStore ps, NDManager scope, NDArray video, int width) {
    int max = config().maxTokens();
    List<int[]> beams = new ArrayList<>(List.of(new int[] {Tokenizer.BOS}));
    List<Double> scores = new ArrayList<>(List.of(0.0));
    int[] best = null;
    double bestMean = Double.NEGATIVE_INFINITY;
    int finished = 0;
    for (int step = 1; step < max && !beams.isEmpty() && finished < width; step++) {
      int[][] rows = beams.toArray(int[][]::new);
      float[] lp = lastLogProbs(ps, scope, video.repeat(0, rows.length), rows, step);
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

  @Override
  public void close() {
    model.close();
  }
}
