package ying.trainer.captioner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Next-token cross-entropy averaged over real tokens only. Labels are {@code [targets, mask]}
 * ({@code [B, L]} ids and 1/0 weights), predictions {@code [logits]} ({@code [B, L, V]}).
 */
final class MaskedTokenLoss extends Loss {
  MaskedTokenLoss() {
    super("masked_token_cross_entropy");
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logProbs = predictions.head().logSoftmax(-1); // [B, L, V]
    NDArray targets = labels.get(0).toType(ai.djl.ndarray.types.DataType.INT64, false).expandDims(-1); // [B, L, 1]
    NDArray picked = logProbs.gather(targets, -1).squeeze(-1); // [B, L]
    NDArray mask = labels.get(1);
    return picked.mul(mask).sum().neg().div(mask.sum().maximum(1f));
  }
}
