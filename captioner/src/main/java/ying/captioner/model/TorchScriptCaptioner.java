package ying.captioner.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ying.core.djl.Devices;
import ying.core.text.Tokenizer;

/**
 * An external captioner exported to TorchScript, so users can plug in a model of any size. The
 * contract (docs/captioner-contract.md) is a folder holding:
 * <ul>
 *   <li>{@value #MODEL_FILE}: {@code forward(frames: uint8 [B, T, H, W, 3], tokens: int64 [B, L])}
 *       returning next-token logits {@code float32 [B, L, V]}; RGB, frames sampled evenly over the clip;</li>
 *   <li>{@value #TOKENIZER_FILE}: {@code {"vocab": [...]}}, ids 0..3 being pad, begin, end, unknown;</li>
 *   <li>{@value #CONFIG_FILE}: {@code {"frames": T, "height": H, "width": W, "max_tokens": L}}, and
 *       optionally {@code "window_seconds"}: the span of a clip the frames are spread over.</li>
 * </ul>
 * Ying decodes it with the same greedy and beam search as its own captioner.
 */
public final class TorchScriptCaptioner implements Captioner {
  /** DJL's PyTorch engine loads {@code NAME.pt} from a folder given NAME. */
  private static final String MODEL_NAME = "model";
  public static final String MODEL_FILE = MODEL_NAME + ".pt";
  public static final String TOKENIZER_FILE = "tokenizer.json";
  public static final String CONFIG_FILE = "captioner.json";
  public static final List<String> FILES = List.of(MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE);

  private final Model model;
  private final Block block;
  private final Tokenizer tokenizer;
  private final int frames;
  private final int height;
  private final int width;
  private final int maxTokens;
  private final double windowSeconds;

  private TorchScriptCaptioner(Model model, Tokenizer tokenizer, JsonNode config) throws IOException {
    this.model = model;
    this.block = model.getBlock();
    this.tokenizer = tokenizer;
    this.frames = positive(config, "frames");
    this.height = positive(config, "height");
    this.width = positive(config, "width");
    this.maxTokens = positive(config, "max_tokens");
    JsonNode window = config.path(CaptionWindow.MANIFEST_KEY);
    if (!window.isMissingNode() && !(window.isNumber() && window.asDouble() > 0)) {
      throw new IOException(CONFIG_FILE + "'s \"" + CaptionWindow.MANIFEST_KEY + "\" must be a positive number of seconds");
    }
    this.windowSeconds = window.isMissingNode() ? CaptionWindow.DEFAULT_SECONDS : window.asDouble();
  }

  /** Loads the contract's three files from a local folder. */
  public static TorchScriptCaptioner load(Path dir) throws IOException {
    for (String f : FILES) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new IOException("external captioner " + dir + " lacks " + f + " (it needs " + FILES + ")");
      }
    }
    JsonNode config = new ObjectMapper().readTree(dir.resolve(CONFIG_FILE).toFile());
    Tokenizer tokenizer = Tokenizer.load(dir.resolve(TOKENIZER_FILE));
    Model model = Model.newInstance("external-captioner", Devices.current(), "PyTorch");
    try {
      model.load(dir, MODEL_NAME);
      return new TorchScriptCaptioner(model, tokenizer, config);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      model.close();
      throw new IOException("cannot load TorchScript captioner " + dir.resolve(MODEL_FILE) + ": " + e.getMessage(), e);
    }
  }

  private static int positive(JsonNode config, String key) throws IOException {
    int v = config.path(key).asInt(0);
    if (v <= 0) {
      throw new IOException(CONFIG_FILE + " needs a positive \"" + key + "\"");
    }
    return v;
  }

  @Override
  public int frames() {
    return frames;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public double windowSeconds() {
    return windowSeconds;
  }

  @Override
  public List<Caption> caption(byte[] pixels, int[] views, int beam) {
    int count = java.util.Arrays.stream(views).sum();
    long clipBytes = (long) frames * height * width * 3;
    if (pixels.length != count * clipBytes) {
      throw new IllegalArgumentException("expected " + count + " clips of " + frames + "x" + height + "x" + width
          + "x3 bytes, got " + pixels.length);
    }
    try (NDManager scope = model.getNDManager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      NDArray video = scope.create(ByteBuffer.wrap(pixels), new Shape(count, frames, height, width, 3), DataType.UINT8);
      CaptionSearch.NextToken next = (context, prefix) -> {
        NDArray logits = block.forward(ps, new NDList(context, prefix.toType(DataType.INT64, false)), false).head();
        long[] want = {prefix.getShape().get(0), prefix.getShape().get(1), tokenizer.size()};
        if (!logits.getShape().equals(new Shape(want))) {
          throw new IllegalStateException("the TorchScript captioner returned logits of shape " + logits.getShape()
              + "; the contract asks for " + new Shape(want) + " (rows, prefix length, vocabulary)");
        }
        return logits.toType(DataType.FLOAT32, false);
      };
      return new CaptionSearch(next, tokenizer, maxTokens).caption(scope, video, views, beam);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
