package ying.inference.dit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;

/**
 * The expert DiT's shape, written into the checkpoint manifest and read back to rebuild it.
 *
 * @param latentChannels channels of the VAE's latents (what the DiT predicts)
 * @param inputChannels channels it reads: the latents, plus the first frame's latents for image-to-video
 * @param patch latent cells per token side (2: 2x2 patches, as CogVideoX)
 * @param dim token width; heads x head size
 * @param textLayers, textTokens the text encoder's depth and longest caption in tokens
 * @param vocabSize the caption tokenizer's size
 * @param latentScale what VAE latents are multiplied by before the DiT sees them (1 / their spread,
 *     so the signal has unit variance like the noise; CogVideoX's "scaling factor")
 */
public record DitConfig(int latentChannels, int inputChannels, int patch, int dim, int heads, int layers,
    int textLayers, int textTokens, int vocabSize, int timeFrequencies, float latentScale) implements Serializable {

  public DitConfig {
    if (dim % heads != 0 || (dim / heads) % 2 != 0 || dim / heads < 6) {
      throw new IllegalArgumentException("width " + dim + " must split into " + heads + " heads of an even size >= 6");
    }
    if (inputChannels != latentChannels && inputChannels != 2 * latentChannels) {
      throw new IllegalArgumentException("input channels are the latents' (text-to-video) or twice that"
          + " (image-to-video), got " + inputChannels + " for " + latentChannels);
    }
    if (!(latentScale > 0) || patch < 1 || layers < 1 || textLayers < 0 || textTokens < 2 || vocabSize < 2) {
      throw new IllegalArgumentException("bad DiT config " + patch + "/" + layers + "/" + textLayers + "/" + textTokens
          + "/" + vocabSize);
    }
  }

  /** Sized for training on two CPU cores: 4 blocks of width 128 (2 heads of 64, as CogVideoX's head size). */
  public static DitConfig defaults(int vocabSize, boolean imageToVideo, float latentScale) {
    return new DitConfig(16, imageToVideo ? 32 : 16, 2, 128, 2, 4, 2, 48, vocabSize, 128, latentScale);
  }

  /**
   * This shape for a training run: the vocabulary of its captions, the latent scale of its VAE, and
   * input channels for its mode (image-to-video adds the first-frame condition's).
   */
  public DitConfig forData(int vocab, float scale, boolean toVideoFromImage) {
    return new DitConfig(latentChannels, toVideoFromImage ? 2 * latentChannels : latentChannels, patch, dim, heads,
        layers, textLayers, textTokens, vocab, timeFrequencies, scale);
  }

  /** This shape reading the first frame's latents beside the noisy ones (image-to-video). */
  public DitConfig withFirstFrame() {
    return forData(vocabSize, latentScale, true);
  }

  /** This shape with {@code blocks} expert blocks (see {@link DitModel#deepened}). */
  public DitConfig withLayers(int blocks) {
    return new DitConfig(latentChannels, inputChannels, patch, dim, heads, blocks, textLayers, textTokens, vocabSize,
        timeFrequencies, latentScale);
  }

  public boolean imageToVideo() {
    return inputChannels == 2 * latentChannels;
  }

  public JsonNode toJson(ObjectMapper json) {
    ObjectNode n = json.createObjectNode();
    n.put("latent_channels", latentChannels).put("input_channels", inputChannels).put("patch", patch)
        .put("dim", dim).put("heads", heads).put("layers", layers).put("text_layers", textLayers)
        .put("text_tokens", textTokens).put("vocab_size", vocabSize).put("time_frequencies", timeFrequencies)
        .put("latent_scale", latentScale);
    return n;
  }

  public static DitConfig fromJson(JsonNode n) {
    return new DitConfig(n.get("latent_channels").asInt(), n.get("input_channels").asInt(), n.get("patch").asInt(),
        n.get("dim").asInt(), n.get("heads").asInt(), n.get("layers").asInt(), n.get("text_layers").asInt(),
        n.get("text_tokens").asInt(), n.get("vocab_size").asInt(), n.get("time_frequencies").asInt(),
        (float) n.get("latent_scale").asDouble());
  }
}
