package ying.trainer.captioner;

import java.util.Optional;
import ying.core.synth.CaptionGrammar;

/**
 * Left-right mirror images of training clips, each with the caption its mirror image deserves: the
 * synthetic world's captions name sides (pans, travel, objects listed left to right), so flipping
 * the pixels alone would teach the captioner wrong words. A caption outside the grammar has no known
 * mirror, and its clip is never flipped.
 */
final class MirrorAugment {
  private MirrorAugment() {}

  /** The mirrored clip's caption, or empty when the caption does not follow the synthetic world's grammar. */
  static Optional<String> caption(String caption) {
    return CaptionGrammar.parse(caption).map(p -> CaptionGrammar.caption(p.mirrored()));
  }

  /** Mirrors {@code frames} packed RGB frames of {@code width x height}, starting at {@code offset}, in place. */
  static void frames(byte[] pixels, int offset, int frames, int height, int width) {
    int row = width * 3;
    for (int r = 0; r < frames * height; r++) {
      int start = offset + r * row;
      for (int left = 0, right = width - 1; left < right; left++, right--) {
        for (int ch = 0; ch < 3; ch++) {
          int a = start + left * 3 + ch;
          int b = start + right * 3 + ch;
          byte t = pixels[a];
          pixels[a] = pixels[b];
          pixels[b] = t;
        }
      }
    }
  }
}
