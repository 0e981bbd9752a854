package ying.captioner.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The captioner's shape: what it looks at (frames sampled from a clip) and how big it is. Written
 * into the checkpoint manifest and read back to rebuild the network.
 *
 * @param frames frames sampled evenly over a clip
 * @param tubeletFrames, patch the spatio-temporal patch: frames x pixels x pixels per video token
 * @param maxTokens longest caption in tokens, including begin and end
 * @param stemChannels channels of the convolutional stem in front of the tubelet projection, or 0
 *     for none (the projection then reads raw pixels, as captioner@1 did)
 * @param pixelFold side of the pixel blocks folded into channels in front of the stem ({@link
 *     PixelFold}); 1 for none. {@code height}, {@code width} and {@code patch} count input pixels.
 */
public record CaptionerConfig(int frames, int height, int width, int tubeletFrames, int patch, int dim, int heads,
    int encoderLayers, int decoderLayers, int maxTokens, int vocabSize, int stemChannels, int pixelFold) {

  /** A captioner that reads its frames' pixels as they are (no {@link PixelFold}). */
  public CaptionerConfig(int frames, int height, int width, int tubeletFrames, int patch, int dim, int heads,
      int encoderLayers, int decoderLayers, int maxTokens, int vocabSize, int stemChannels) {
    this(frames, height, width, tubeletFrames, patch, dim, heads, encoderLayers, decoderLayers, maxTokens, vocabSize,
        stemChannels, 1);
  }

  public CaptionerConfig {
    if (pixelFold < 1 || (pixelFold > 1 && stemChannels == 0)) {
      throw new IllegalArgumentException("a pixel fold of " + pixelFold + " needs a stem and must be at least 1");
    }
    if (frames % tubeletFrames != 0 || height % patch != 0 || width % patch != 0) {
      throw new IllegalArgumentException("frames and size must divide into tubelets: " + frames + "x" + height + "x"
          + width + " by " + tubeletFrames + "x" + patch + "x" + patch);
    }
    if (dim % heads != 0) {
      throw new IllegalArgumentException("dim " + dim + " must divide into " + heads + " heads");
    }
    if (stemChannels < 0 || stemChannels % 4 != 0 || (stemChannels > 0 && patch % (ConvStem.STRIDE * pixelFold) != 0)) {
      throw new IllegalArgumentException("a stem of " + stemChannels + " channels (a multiple of 4) needs a patch that "
          + ConvStem.STRIDE * pixelFold + " divides, not " + patch);
    }
  }

  /** Small enough to train on two CPU cores, large enough for the synthetic world's grammar. */
  public static CaptionerConfig defaults(int vocabSize) {
    return new CaptionerConfig(8, 64, 96, 2, 16, 128, 4, 4, 2, 48, vocabSize, 96);
  }

  public int videoTokens() {
    return (frames / tubeletFrames) * (height / patch) * (width / patch);
  }

  /** Values flattened into one token: pixels of a tubelet, or stem features over it. */
  public int tubeletValues() {
    int cell = stemChannels == 0 ? patch : patch / (ConvStem.STRIDE * pixelFold);
    return tubeletFrames * cell * cell * (stemChannels == 0 ? 3 : stemChannels);
  }

  public JsonNode toJson(ObjectMapper json) {
    ObjectNode n = json.createObjectNode();
    n.put("frames", frames).put("height", height).put("width", width).put("tubelet_frames", tubeletFrames)
        .put("patch", patch).put("dim", dim).put("heads", heads).put("encoder_layers", encoderLayers)
        .put("decoder_layers", decoderLayers).put("max_tokens", maxTokens).put("vocab_size", vocabSize)
        .put("stem_channels", stemChannels);
    if (pixelFold != 1) {
      n.put("pixel_fold", pixelFold); // absent in older checkpoints, whose configs stay byte for byte
    }
    return n;
  }

  public static CaptionerConfig fromJson(JsonNode n) {
    return new CaptionerConfig(n.get("frames").asInt(), n.get("height").asInt(), n.get("width").asInt(),
        n.get("tubelet_frames").asInt(), n.get("patch").asInt(), n.get("dim").asInt(), n.get("heads").asInt(),
        n.get("encoder_layers").asInt(), n.get("decoder_layers").asInt(), n.get("max_tokens").asInt(),
        n.get("vocab_size").asInt(), n.path("stem_channels").asInt(0), n.path("pixel_fold").asInt(1));
  }
}
