package ying.core.video;

/** Receives frames one by one; {@code rgb} is reused for the next frame, so copy what you keep. */
@FunctionalInterface
public interface FrameConsumer {
  void accept(int index, double timestampSeconds, byte[] rgb) throws VideoException;
}
