package ying.inference.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;

class VaeCostTest {
  @Test
  void countsTheConvolutionsTheModelActuallyHas() {
    // Same layer list as the network: every convolution kernel weight the cost model assumes exists.
    for (VaeConfig c : new VaeConfig[] {TinyVae.config(), VaeConfig.defaults()}) {
      try (VaeModel vae = VaeModel.create(c, 1)) {
        long weights = vae.network().getParameters().values().stream()
            .filter(p -> p.getType() == Parameter.Type.WEIGHT && p.getArray().getShape().dimension() == 5)
            .mapToLong(p -> p.getArray().getShape().size()).sum();
        assertEquals(weights, VaeCost.convolutionWeights(c), c.toString());
      }
    }
  }

  @Test
  void defaultClipCostsWhatTheConfigDocumentSays() {
    VaeConfig c = VaeConfig.defaults();
    assertEquals(26.2, VaeCost.encoderMacs(c, 49, 64, 96) / 1e9, 0.05);
    assertEquals(22.8, VaeCost.decoderMacs(c, 49, 64, 96) / 1e9, 0.05);
  }
}
