package ying.inference.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import ying.core.text.Tokenizer;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;

class GenerationTest {
  private static final String PROMPT = "The camera pans left. A red circle moves up.";

  @Test
  void repeatedGenerationsGiveTheSameBytesAndLeaveNothingOnTheModels() {
    Tokenizer tokenizer = Tokenizer.build(List.of(PROMPT));
    try (DitModel dit = DitModel.create(DitConfig.defaults(tokenizer.size(), false, 1f), tokenizer, 0);
        VaeModel vae = VaeModel.create(VaeConfig.defaults(), 0)) {
      Generation.Request r = new Generation.Request(PROMPT, null, 9, 64, 96, 3, 6f, 1, "ddim");
      byte[] first = Generation.run(dit, vae, r, step -> { });
      int ditArrays = dit.djlModel().getNDManager().getManagedArrays().size();
      int vaeArrays = vae.djlModel().getNDManager().getManagedArrays().size();
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(first, Generation.run(dit, vae, r, step -> { }));
      }
      // A slice of a parameter goes to the model's manager unless the pass moves it: the text encoder's
      // slice of its position table once stayed there, one a clip, for as long as the model lived.
      assertEquals(ditArrays, dit.djlModel().getNDManager().getManagedArrays().size());
      assertEquals(vaeArrays, vae.djlModel().getNDManager().getManagedArrays().size());
    }
  }
}
