package ying.captioner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameFitTest {
  private static byte[] random(int bytes, long seed) {
    byte[] b = new byte[bytes];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void repeatsPixelsUpAndAveragesBlocksDown() {
    // One 1x2 frame: pixels (10,20,30) and (200,100,0).
    byte[] small = {10, 20, 30, (byte) 200, 100, 0};
    byte[] big = FrameFit.fit(small, 1, 1, 2, 2, 4);
    assertEquals(2 * 4 * 3, big.length);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 4; x++) {
        int p = (y * 4 + x) * 3;
        int from = (x / 2) * 3;
        assertEquals(small[from], big[p], "row " + y + " column " + x);
        assertEquals(small[from + 2], big[p + 2], "row " + y + " column " + x);
      }
    }
    // A 2x2 block of 0, 1, 2, 3 in red averages to 2 (1.5 rounded half up).
    byte[] block = {0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0};
    assertArrayEquals(new byte[] {2, 0, 0}, FrameFit.fit(block, 1, 2, 2, 1, 1));
  }

  @Test
  void averagingTheRepeatedFramesGivesThemBackForEveryFrameOfAClip() {
    byte[] clip = random(3 * 64 * 96 * 3, 7);
    byte[] up = FrameFit.fit(clip, 3, 64, 96, 128, 192);
    assertEquals(3 * 128 * 192 * 3, up.length);
    assertArrayEquals(clip, FrameFit.fit(up, 3, 128, 192, 64, 96));
    assertSame(clip, FrameFit.fit(clip, 3, 64, 96, 64, 96));
  }

  @Test
  void refusesSizesThatDoNotDifferByOneWholeFactor() {
    assertTrue(FrameFit.fits(64, 96, 128, 192));
    assertTrue(FrameFit.fits(192, 288, 64, 96));
    assertFalse(FrameFit.fits(64, 96, 128, 96));
    assertFalse(FrameFit.fits(64, 96, 96, 144));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FrameFit.fit(new byte[64 * 96 * 3], 1, 64, 96, 100, 150));
    assertTrue(e.getMessage().contains("96x64 frames cannot be fitted to 150x100"), e.getMessage());
  }
}
