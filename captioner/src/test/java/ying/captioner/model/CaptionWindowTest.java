package ying.captioner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionWindowTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aManifestsOwnWindowComesFirstThenItsRawClipsBucketThenTheDefault() throws Exception {
    assertEquals(3.0, CaptionWindow.of(JSON.readTree(
        "{\"window_seconds\": 3.0, \"raw_clips\": {\"bucket\": \"192x128x33@8\"}}")), 1e-12);
    // captioner@7..@12 were published before the fact existed; their clips were 33 frames at 8 fps.
    assertEquals(4.125, CaptionWindow.of(JSON.readTree("{\"raw_clips\": {\"bucket\": \"192x128x33@8\"}}")), 1e-12);
    assertEquals(2.0, CaptionWindow.of(JSON.readTree("{\"raw_clips\": {\"bucket\": \"96x64x25@12.5\"}}")), 1e-12);
    assertEquals(6.125, CaptionWindow.of(JSON.readTree("{\"name\": \"captioner\"}")), 1e-12);
  }

  @Test
  void aModelTrainedOnSeveralBucketsReadsTheLongestSpan() {
    assertEquals(6.125, CaptionWindow.ofBuckets(List.of("96x64x17@8", "96x64x49@8", "96x64x33@8")), 1e-12);
    assertEquals(2.125, CaptionWindow.ofBuckets(List.of("96x64x17@8")), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> CaptionWindow.ofBuckets(List.of()));
    assertThrows(IllegalArgumentException.class, () -> CaptionWindow.ofBuckets(List.of("96x64")));
  }
}
