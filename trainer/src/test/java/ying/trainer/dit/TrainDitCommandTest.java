package ying.trainer.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import ying.inference.dit.DitConfig;

class TrainDitCommandTest {
  @Test
  void widthAndBlocksReshapeTheDefaultsWithHeadsOf64() {
    assertNull(TrainDitCommand.architecture(null, null, false), "no options: the trainer's defaults");
    DitConfig c = TrainDitCommand.architecture(192, 6, false);
    assertEquals(192, c.dim());
    assertEquals(3, c.heads());
    assertEquals(6, c.layers());
    assertEquals(16, c.inputChannels());
    DitConfig i2v = TrainDitCommand.architecture(null, 2, true);
    assertEquals(DitConfig.defaults(2, true, 1f).dim(), i2v.dim());
    assertEquals(2, i2v.layers());
    assertEquals(32, i2v.inputChannels());
    assertEquals(2, c.patch(), "the default patch");
    DitConfig fine = TrainDitCommand.architecture(null, null, 1, false);
    assertEquals(1, fine.patch());
    assertEquals(DitConfig.defaults(2, false, 1f).dim(), fine.dim());
  }

  @Test
  void aWidthThatIsNoMultipleOf64OrNoBlocksIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> TrainDitCommand.architecture(100, null, false));
    assertThrows(IllegalArgumentException.class, () -> TrainDitCommand.architecture(null, 0, false));
    assertThrows(IllegalArgumentException.class, () -> TrainDitCommand.architecture(null, null, 0, false));
  }
}
