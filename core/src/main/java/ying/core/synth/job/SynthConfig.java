package ying.core.synth.job;

import java.io.Serializable;
import ying.core.synth.WorldOptions;

/**
 * Everything a {@code ying synth} run depends on. Two runs with equal configs write identical
 * videos and labels, which is what lets a rerun recognise finished work.
 *
 * @param out where {@code videos/} and {@code labels/} go
 */
public record SynthConfig(int count, String out, long seed, WorldOptions world) implements Serializable {
  public SynthConfig {
    if (count < 1) {
      throw new IllegalArgumentException("--count must be at least 1, got " + count);
    }
    if (world.width() % 2 != 0 || world.height() % 2 != 0) {
      throw new IllegalArgumentException("H.264 needs an even frame size, got " + world.width() + "x" + world.height());
    }
  }

  /** File name of video {@code index}: seed and index, so videos of different seeds never collide. */
  public String videoName(int index) {
    return String.format(java.util.Locale.ROOT, "synth-s%d-%06d.mp4", seed, index);
  }
}
