package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.util.PairList;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What a decoder carries from one temporal chunk of a clip to the next: each causal convolution's
 * last input frames, and whether the chunk holds the clip's first frame. One per clip being decoded,
 * so a model shared between threads keeps no state of its own. Blocks find it in the forward's
 * params under {@link #KEY}; with no cache, a forward sees the whole clip.
 */
final class CausalCache {
  static final String KEY = "causal_cache";

  private final NDManager manager;
  private final Map<Block, NDArray> tails = new IdentityHashMap<>();
  private boolean atStart = true;

  /** Cached frames live in {@code manager}, which outlives the chunks. */
  CausalCache(NDManager manager) {
    this.manager = manager;
  }

  static CausalCache of(PairList<String, Object> params) {
    return params == null ? null : (CausalCache) params.get(KEY);
  }

  PairList<String, Object> asParams() {
    PairList<String, Object> params = new PairList<>();
    params.add(KEY, this);
    return params;
  }

  /** Whether the chunk being decoded starts the clip. */
  boolean atStart() {
    return atStart;
  }

  /** Called between chunks. */
  void nextChunk() {
    atStart = false;
  }

  /**
   * A copy, owned by {@code into}, of the frames {@code layer} kept from the previous chunk; null on
   * the first chunk. A copy so that what is built from it belongs to the chunk, not to the clip.
   */
  NDArray tail(Block layer, NDManager into) {
    NDArray kept = tails.get(layer);
    if (kept == null) {
      return null;
    }
    NDArray copy = kept.duplicate();
    copy.attach(into);
    return copy;
  }

  /** Keeps a copy of {@code frames} for {@code layer}'s next chunk; a copy so the chunk's own storage can go. */
  void keep(Block layer, NDArray frames) {
    NDArray copy = frames.duplicate();
    copy.attach(manager);
    NDArray old = tails.put(layer, copy);
    if (old != null) {
      old.close();
    }
  }
}
