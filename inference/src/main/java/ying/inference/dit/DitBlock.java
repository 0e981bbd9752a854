package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One block of the expert transformer (CogVideoX, 3.2): expert adaLN, full attention over text and
 * video together, gated residual; expert adaLN, a shared GELU MLP, gated residual.
 *
 * <p>{@code forward([text [B, Nt, D], video [B, Nv, D], SiLU(conditioning) [B, E], keyBias [B, 1, 1, N]])}
 * returns {@code [text, video]}; the RoPE tables (the text's rows rotating nothing) come in the
 * params ({@link Rope3d#PARAM}).
 */
public final class DitBlock extends AbstractBlock {
  private final ExpertAdaLayerNorm norm1;
  private final JointAttention attention;
  private final ExpertAdaLayerNorm norm2;
  private final Linear up;
  private final Linear down;

  public DitBlock(int dim, int heads) {
    norm1 = addChildBlock("norm1", new ExpertAdaLayerNorm(dim));
    attention = addChildBlock("attention", new JointAttention(dim, heads));
    norm2 = addChildBlock("norm2", new ExpertAdaLayerNorm(dim));
    up = addChildBlock("up", Linear.builder().setUnits(4L * dim).build());
    down = addChildBlock("down", Linear.builder().setUnits(dim).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray text = inputs.get(0);
    NDArray video = inputs.get(1);
    NDArray c = inputs.get(2);
    long nt = text.getShape().get(1);
    NDList n = norm1.forward(ps, new NDList(text, video, c), training);
    NDList attentionIn = inputs.size() > 3 ? new NDList(n.get(0).concat(n.get(1), 1), inputs.get(3))
        : new NDList(n.get(0).concat(n.get(1), 1));
    NDList a = attention.forward(ps, attentionIn, training, params).head().split(new long[] {nt}, 1);
    text = text.add(n.get(2).mul(a.get(0)));
    video = video.add(n.get(3).mul(a.get(1)));
    n = norm2.forward(ps, new NDList(text, video, c), training);
    NDArray h = up.forward(ps, new NDList(n.get(0).concat(n.get(1), 1)), training).head();
    NDList f = down.forward(ps, new NDList(Activation.gelu(h)), training).head().split(new long[] {nt}, 1);
    text = text.add(n.get(2).mul(f.get(0)));
    video = video.add(n.get(3).mul(f.get(1)));
    return new NDList(text, video);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape text = inputShapes[0];
    Shape video = inputShapes[1];
    norm1.initialize(manager, dataType, text, video, inputShapes[2]);
    norm2.initialize(manager, dataType, text, video, inputShapes[2]);
    Shape joint = new Shape(text.get(0), text.get(1) + video.get(1), text.get(2));
    attention.initialize(manager, dataType, joint);
    up.initialize(manager, dataType, joint);
    down.initialize(manager, dataType, up.getOutputShapes(new Shape[] {joint}));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0], inputShapes[1]};
  }
}
