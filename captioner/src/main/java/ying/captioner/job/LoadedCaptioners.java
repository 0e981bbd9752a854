package ying.captioner.job;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import ying.captioner.model.Captioner;
import ying.core.io.Storage;

/**
 * Captioners loaded once per executor JVM and reused by its tasks, keyed by their source (registry
 * and exact version, or external folder and content). A task borrows a model for a partition and
 * gives it back: one model is not safe for two threads at once, and a model per running task lets
 * the executor's tasks caption side by side instead of queueing for one. Loading goes through the
 * source URI, so executors never need a driver-local path.
 */
final class LoadedCaptioners {
  private static final Map<CaptionerSource, ArrayDeque<Captioner>> IDLE = new HashMap<>();
  private static int torchThreads;

  private LoadedCaptioners() {}

  /**
   * A model for this task alone until {@link #giveBack}. {@code threads} sets libtorch's intra-op
   * threads for the JVM (0 leaves them): with one thread per task and one task per core, tasks do
   * not fight over the cores.
   */
  static Captioner borrow(Storage storage, CaptionerSource source, int threads) throws IOException {
    synchronized (LoadedCaptioners.class) {
      if (threads > 0 && threads != torchThreads) {
        Engine.getEngine("PyTorch"); // loads libtorch, which the call below needs
        JniUtils.setNumThreads(threads);
        torchThreads = threads;
      }
      ArrayDeque<Captioner> idle = IDLE.get(source);
      if (idle != null && !idle.isEmpty()) {
        return idle.pop();
      }
    }
    // Outside the lock: another task may load its own copy meanwhile.
    return source.open(storage);
  }

  static synchronized void giveBack(CaptionerSource source, Captioner model) {
    IDLE.computeIfAbsent(source, k -> new ArrayDeque<>()).push(model);
  }
}
