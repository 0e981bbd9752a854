package ying.core.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Precision of a block's weights. Checkpoints store float16 (half the bytes) and networks compute
 * in float32; a model casts down to save, and back up after saving or loading.
 */
public final class Weights {
  private Weights() {}

  /** Swaps each parameter's array for a copy cast to {@code type}. DJL's {@code Block.cast} is not implemented. */
  public static void cast(Block block, DataType type) {
    for (Parameter p : block.getParameters().values()) {
      NDArray old = p.getArray();
      if (old.getDataType() == type) {
        continue;
      }
      try (NDArray cast = old.toType(type, true)) {
        replace(p, cast);
      }
    }
  }

  /**
   * Gives {@code p} a copy of {@code value} (same shape or not) as its array, closing the old one.
   * {@code Parameter.setArray} refuses a shaped parameter, but {@code Parameter.load} replaces the
   * array: so the parameter is re-read from a serialised form of its own holding the new data.
   */
  public static void replace(Parameter p, NDArray value) {
    NDArray old = p.getArray();
    try {
      ByteArrayOutputStream saved = new ByteArrayOutputStream();
      p.save(new DataOutputStream(saved));
      byte version = saved.toByteArray()[2]; // after the 2-byte 'P' marker
      ByteArrayOutputStream replaced = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(replaced);
      out.writeChar('P');
      out.writeByte(version);
      out.writeUTF(p.getName());
      out.write(value.encode());
      p.load(old.getManager(), new DataInputStream(new ByteArrayInputStream(replaced.toByteArray())));
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException("cannot replace the weights of parameter " + p.getName(), e);
    }
    // load() drops the flag that initialize() set: without it the model could not be trained.
    if (p.requiresGradient()) {
      p.getArray().setRequiresGradient(true);
    }
    old.close();
  }

  /**
   * Saves {@code model}'s weights as {@code dir/NAME-0000.params} in float16; the weights in memory
   * end up rounded the same way, so the model and a reload of it agree exactly.
   */
  public static void saveHalf(Model model, Path dir, String name) throws IOException {
    model.setProperty("Epoch", "0");
    cast(model.getBlock(), DataType.FLOAT16);
    try {
      model.save(dir, name);
    } finally {
      cast(model.getBlock(), DataType.FLOAT32);
    }
  }

  /** Loads weights saved by {@link #saveHalf} (or in float32) into {@code model}, computing in float32. */
  public static void loadHalf(Model model, Path dir, String name) throws IOException, MalformedModelException {
    model.load(dir, name);
    cast(model.getBlock(), DataType.FLOAT32);
  }

  /** Rounds the weights to float16 and back, so what is measured afterwards is what a checkpoint stores. */
  public static void roundToHalf(Block block) {
    cast(block, DataType.FLOAT16);
    cast(block, DataType.FLOAT32);
  }
}
