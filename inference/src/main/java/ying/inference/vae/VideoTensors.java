package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * Frames as the dataset stores them, uint8 {@code [T, H, W, 3]} per clip, to the VAE's video
 * tensors, float32 {@code [B, 3, T, H, W]} in [-1, 1], and back.
 */
public final class VideoTensors {
  private VideoTensors() {}

  /** {@code frames} holds B clips of T x H x W x 3 bytes back to back; B follows from its length. */
  public static NDArray fromBytes(NDManager manager, byte[] frames, int t, int h, int w) {
    long clip = (long) t * h * w * 3;
    if (frames.length == 0 || frames.length % clip != 0) {
      throw new IllegalArgumentException("expected clips of " + t + "x" + h + "x" + w + "x3 bytes, got "
          + frames.length + " bytes");
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray bytes = scope.create(ByteBuffer.wrap(frames), new Shape(frames.length / clip, t, h, w, 3),
          DataType.UINT8); // [B, T, H, W, 3]
      NDArray video = bytes.toType(DataType.FLOAT32, false).div(127.5f).sub(1f).transpose(0, 4, 1, 2, 3);
      video.attach(manager);
      return video; // [B, 3, T, H, W]
    }
  }

  /** Video {@code [B, 3, T, H, W]} to B clips of uint8 {@code [T, H, W, 3]}, values outside [-1, 1] clipped. */
  public static byte[] toBytes(NDArray video) {
    try (NDManager scope = video.getManager().newSubManager()) {
      video.tempAttach(scope);
      NDArray pixels = video.add(1f).mul(127.5f).clip(0f, 255f).round().toType(DataType.UINT8, false)
          .transpose(0, 2, 3, 4, 1); // [B, T, H, W, 3]
      return pixels.toByteArray();
    }
  }
}
