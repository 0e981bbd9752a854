package ying.datasetbuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import ying.core.dataset.Bucket;

class BucketTest {
  @Test
  void parsesWithAndWithoutFps() {
    assertEquals(new Bucket(96, 64, 49, 8), Bucket.parse("96x64x49"));
    assertEquals(new Bucket(192, 128, 17, 12.5), Bucket.parse("192x128x17@12.5"));
    assertEquals("96x64x49@8", Bucket.parse("96x64x49@8").name());
  }

  @Test
  void rejectsMalformedSpecsWithTheExpectedForm() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bucket.parse("96x64"));
    assertTrue(e.getMessage().contains("WxHxF"), e.getMessage());
  }

  @Test
  void clipGoesToTheLongestBucketItFills() {
    BuildConfig c = BuildConfig.defaults();
    assertEquals(49, c.bucketFor(6.125).frames());
    assertEquals(49, c.bucketFor(30).frames());
    assertEquals(33, c.bucketFor(6.0).frames(), "6 s cannot hold 49 frames at 8 fps without padding");
    assertEquals(17, c.bucketFor(2.2).frames());
    assertNull(c.bucketFor(2.0), "shorter than every bucket");
  }
}
