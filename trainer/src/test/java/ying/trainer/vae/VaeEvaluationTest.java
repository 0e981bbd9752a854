package ying.trainer.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import ying.captioner.model.FrameSampler;

class VaeEvaluationTest {
  /** The judge's frames come from the middle of a clip as long as its window, as the caption job picks them. */
  @Test
  void theJudgeReadsTheMiddleOfAClipAsLongAsItsWindow() {
    // A 4.125 s judge on a 49-frame, 8 fps clip: frames 8..40, 4.57 frames (0.57 s) apart, as in its training.
    assertArrayEquals(new int[] {8, 13, 17, 22, 26, 31, 35, 40}, VaeEvaluation.windowFrames(49, 8, 4.125, 8));
    // A 6.125 s judge (captioner@6) reads the whole clip, as before windows existed.
    assertArrayEquals(FrameSampler.indices(49, 8, 0, null), VaeEvaluation.windowFrames(49, 8, 6.125, 8));
    // A clip shorter than the window is read whole.
    assertArrayEquals(FrameSampler.indices(17, 8, 0, null), VaeEvaluation.windowFrames(17, 8, 4.125, 8));
  }
}
