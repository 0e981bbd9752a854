package ying.inference.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class VaeTrainingTest {
  @Test
  void aFewAdamStepsReduceTheReconstructionLoss() {
    try (VaeModel vae = VaeModel.create(TinyVae.config(), 11);
        NDManager m = vae.djlModel().getNDManager().newSubManager()) {
      // A smooth clip, a horizontal ramp drifting right, so there is something to learn in a few steps.
      NDArray x = m.linspace(-1f, 1f, 24).reshape(1, 1, 1, 1, 24);
      NDArray t = m.arange(5f).reshape(1, 1, 5, 1, 1).mul(0.1f);
      NDArray channel = m.create(new float[] {1f, -0.5f, 0.25f}).reshape(1, 3, 1, 1, 1);
      NDArray clip = x.sub(t).mul(channel).broadcast(1, 3, 5, 16, 24);
      NDArray noise = m.zeros(vae.network().getOutputShapes(new ai.djl.ndarray.types.Shape[] {clip.getShape()})[1]);
      DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l1Loss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build());
      float first = Float.NaN;
      float last = Float.NaN;
      try (Trainer trainer = vae.djlModel().newTrainer(tc)) {
        for (int step = 0; step < 5; step++) {
          try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList out = trainer.forward(new NDList(clip, noise)); // [reconstruction, mean, logVar]
            NDArray loss = trainer.getLoss().evaluate(new NDList(clip), new NDList(out.head()));
            gc.backward(loss);
            last = loss.getFloat();
          }
          trainer.step();
          if (step == 0) {
            first = last;
          }
        }
      }
      assertTrue(last < 0.5f * first, "L1 went from " + first + " to " + last);
    }
  }

  @Test
  void weightsRoundedToHalfPrecisionStillTrain() {
    // Rounding swaps every parameter's array; the new ones must still take gradients, or a model
    // rounded (or saved) before training fails its first backward pass.
    try (VaeModel vae = VaeModel.create(TinyVae.config(), 3);
        NDManager m = vae.djlModel().getNDManager().newSubManager()) {
      vae.roundToStoredPrecision();
      NDArray clip = TinyVae.normal(m, 1, 1, 3, 5, 16, 24);
      NDArray noise = TinyVae.normal(m, 2, 1, 16, 2, 2, 3);
      DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l1Loss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
      try (Trainer trainer = vae.djlModel().newTrainer(tc); GradientCollector gc = trainer.newGradientCollector()) {
        NDList out = trainer.forward(new NDList(clip, noise));
        gc.backward(trainer.getLoss().evaluate(new NDList(clip), new NDList(out.head())));
      }
      for (var p : vae.network().getParameters()) {
        NDArray g = p.getValue().getArray().getGradient();
        assertTrue(g.abs().sum().getFloat() > 0f, "no gradient for " + p.getKey());
      }
    }
  }

  @Test
  void gradientsDoNotDependOnGarbageCollection() {
    // DJL 0.33's mul/div(Number) free their scalar while autograd still needs it; after a GC the
    // backward pass reads garbage. The VAE avoids them; this catches one slipping back in.
    try (VaeModel vae = VaeModel.create(TinyVae.config(), 5);
        NDManager m = vae.djlModel().getNDManager().newSubManager()) {
      NDArray clip = TinyVae.normal(m, 1, 1, 3, 5, 16, 24);
      NDArray noise = TinyVae.normal(m, 2, 1, 16, 2, 2, 3);
      NDArray calm = inputGradient(vae, clip, noise, false);
      NDArray churned = inputGradient(vae, clip, noise, true);
      assertTrue(calm.abs().max().getFloat() > 0f && Float.isFinite(calm.abs().max().getFloat()));
      float diff = TinyVae.maxAbsDiff(calm, churned);
      assertTrue(diff < 1e-5f, "gradients moved by " + diff + " after a garbage collection");
    }
  }

  /** d(loss)/d(clip) for the L1 loss plus the KL term, optionally churning the heap between forward and backward. */
  private static NDArray inputGradient(VaeModel vae, NDArray clip, NDArray noise, boolean churn) {
    NDArray x = clip.duplicate();
    x.setRequiresGradient(true);
    try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
      NDList out = vae.network().forward(new ai.djl.training.ParameterStore(x.getManager(), false),
          new NDList(x, noise), true);
      NDArray loss = out.head().sub(x).abs().mean()
          .add(new DiagonalGaussian(out.get(1), out.get(2)).kl().sum());
      if (churn) {
        for (int i = 0; i < 3; i++) {
          System.gc();
          for (int k = 0; k < 2000; k++) {
            java.nio.ByteBuffer.allocateDirect(64).order(java.nio.ByteOrder.nativeOrder()).putFloat(0, 1e30f);
          }
        }
        System.gc();
      }
      gc.backward(loss);
    }
    return x.getGradient().duplicate();
  }
}
