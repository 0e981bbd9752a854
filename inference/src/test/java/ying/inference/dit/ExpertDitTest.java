package ying.inference.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class ExpertDitTest {
  static final DitConfig TINY = new DitConfig(4, 4, 2, 32, 4, 2, 1, 6, 10, 32, 1f);

  static Model tiny(DitConfig c) {
    Model model = Model.newInstance("dit");
    ExpertDit net = new ExpertDit(c);
    net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    net.zeroInitModulations();
    model.setBlock(net);
    Engine.getInstance().setRandomSeed(1);
    net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2, c.inputChannels(), 3, 4, 4), new Shape(2),
        new Shape(2, 6), new Shape(2, 6));
    return model;
  }

  @Test
  void patchesRoundTripInTimeRowColumnOrder() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(2 * 3 * 2 * 4 * 6).toType(DataType.FLOAT32, false).reshape(2, 3, 2, 4, 6);
      NDArray tokens = Patches.toTokens(x, 2);
      assertEquals(new Shape(2, 2 * 2 * 3, 12), tokens.getShape());
      assertEquals(0f, Patches.fromTokens(tokens, 3, 2, 2, 3, 2).sub(x).abs().max().getFloat());
      // Token 4 of clip 0 is frame 0, patch row 1, patch column 1: its first value is latent (c0, t0, y2, x2).
      assertEquals(x.getFloat(0, 0, 0, 2, 2), tokens.getFloat(0, 4, 0));
    }
  }

  @Test
  void aFreshModelPredictsZeroAndTrainingLowersTheVelocityLoss() {
    try (NDManager m = NDManager.newBaseManager(); Model model = tiny(TINY)) {
      NoiseSchedule schedule = NoiseSchedule.defaults();
      m.getEngine().setRandomSeed(2);
      NDArray x0 = m.randomNormal(new Shape(2, 4, 3, 4, 4));
      NDArray eps = m.randomNormal(new Shape(2, 4, 3, 4, 4));
      NDArray ids = m.create(new int[] {1, 4, 5, 2, 0, 0, 1, 6, 7, 8, 2, 0}, new Shape(2, 6));
      NDArray mask = m.create(new float[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0}, new Shape(2, 6));
      int[] steps = {300, 700};
      float[] a = x0.toFloatArray();
      float[] e = eps.toFloatArray();
      float[] noisy = new float[a.length];
      float[] target = new float[a.length];
      for (int i = 0; i < a.length; i++) {
        int t = steps[i / (a.length / 2)];
        noisy[i] = schedule.noisy(a[i], e[i], t);
        target[i] = schedule.velocity(a[i], e[i], t);
      }
      NDArray xt = m.create(noisy, x0.getShape());
      NDArray v = m.create(target, x0.getShape());
      NDArray timesteps = m.create(new float[] {steps[0], steps[1]});
      NDList in = new NDList(xt, timesteps, ids, mask);
      NDArray first = model.getBlock().forward(new ParameterStore(m, false), in, false).head();
      assertEquals(x0.getShape(), first.getShape());
      assertEquals(0f, first.abs().max().getFloat(), "adaLN-Zero: a fresh model predicts v = 0");

      DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build());
      float before = Float.NaN;
      float after = Float.NaN;
      int modelArrays = -1;
      try (Trainer trainer = model.newTrainer(tc)) {
        for (int step = 0; step < 40; step++) {
          if (step == 1) {
            modelArrays = model.getNDManager().getManagedArrays().size(); // the optimizer's state made by now
          }
          try (GradientCollector gc = trainer.newGradientCollector()) {
            NDArray pred = trainer.forward(in).head();
            NDArray loss = pred.sub(v).square().mean();
            gc.backward(loss);
            after = loss.getFloat();
            if (step == 0) {
              before = after;
            }
          }
          trainer.step();
        }
      }
      assertTrue(after < 0.5f * before, "v-loss went from " + before + " to " + after);
      // Steps leave nothing on the model's manager (the text encoder's slice of its position table did).
      assertEquals(modelArrays, model.getNDManager().getManagedArrays().size());

      // Sampling's path: the captions, key bias and RoPE tables worked out once, then any noisy input
      // and step through them, gives exactly what a whole forward pass gives.
      ExpertDit net = (ExpertDit) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      ExpertDit.Context context = net.context(m, ps, ids, mask, 3, 4, 4, false);
      for (int i = 0; i < 2; i++) {
        NDArray noisyI = i == 0 ? xt : eps;
        NDArray ts = m.create(new float[] {100 + 400 * i, 900 - 300 * i});
        NDArray whole = net.forward(ps, new NDList(noisyI, ts, ids, mask), false).head();
        NDArray shared = net.forward(ps, noisyI, ts, context, false);
        assertTrue(whole.abs().max().getFloat() > 1e-3f, "a trained model predicts something");
        assertEquals(0f, shared.sub(whole).abs().max().getFloat());
      }
    }
  }
}
