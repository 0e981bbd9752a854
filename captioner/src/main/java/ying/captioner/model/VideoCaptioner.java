package ying.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end video captioner: a video encoder (tubelet embedding + transformer layers) and an
 * autoregressive caption decoder that cross-attends to it. {@code forward([frames, tokens])} gives
 * next-token logits {@code [B, L, V]} for teacher forcing; {@link #encode} and {@link #decode}
 * split the two halves so generation encodes each clip once.
 */
public final class VideoCaptioner extends AbstractBlock {
  private final CaptionerConfig config;
  private final TubeletEmbed embed;
  private final List<VideoEncoderBlock> encoder = new ArrayList<>();
  private final LayerNorm encoderNorm;
  private final Parameter tokenTable;
  private final Parameter tokenPosition;
  private final List<CaptionDecoderBlock> decoder = new ArrayList<>();
  private final LayerNorm decoderNorm;
  private final Linear head;

  public VideoCaptioner(CaptionerConfig config) {
    this.config = config;
    embed = addChildBlock("embed", new TubeletEmbed(config));
    for (int i = 0; i < config.encoderLayers(); i++) {
      encoder.add(addChildBlock("encoder_" + i, new VideoEncoderBlock(config.dim(), config.heads())));
    }
    encoderNorm = addChildBlock("encoder_norm", LayerNorm.builder().axis(2).build());
    tokenTable = addParameter(Parameter.builder().setName("token_table").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.vocabSize(), config.dim())).build());
    tokenPosition = addParameter(Parameter.builder().setName("token_position").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(1, config.maxTokens(), config.dim())).build());
    for (int i = 0; i < config.decoderLayers(); i++) {
      decoder.add(addChildBlock("decoder_" + i, new CaptionDecoderBlock(config.dim(), config.heads())));
    }
    decoderNorm = addChildBlock("decoder_norm", LayerNorm.builder().axis(2).build());
    head = addChildBlock("head", Linear.builder().setUnits(config.vocabSize()).build());
  }

  public CaptionerConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray video = encode(ps, inputs.get(0), training); // [B, N, D]
    return new NDList(decode(ps, video, inputs.get(1), training)); // [B, L, V]
  }

  /** Frames {@code [B, T, H, W, 3]} to video tokens {@code [B, N, D]}. */
  public NDArray encode(ParameterStore ps, NDArray frames, boolean training) {
    NDArray x = embed.forward(ps, new NDList(frames), training).head();
    for (VideoEncoderBlock block : encoder) {
      x = block.forward(ps, new NDList(x), training).head();
    }
    return encoderNorm.forward(ps, new NDList(x), training).head();
  }

  /** Caption prefixes {@code [B, L]} (ids) and video tokens to next-token logits {@code [B, L, V]}. */
  public NDArray decode(ParameterStore ps, NDArray video, NDArray tokens, boolean training) {
    long length = tokens.getShape().get(1);
    NDArray table = ps.getValue(tokenTable, video.getDevice(), training);
    // A slice of a parameter goes to the parameter's manager, the model's, and would stay there for as
    // long as the model lives; attached to the tokens' manager it goes when the pass's arrays go.
    NDArray positions = ps.getValue(tokenPosition, video.getDevice(), training).get(":, :" + length + ", :");
    positions.attach(tokens.getManager());
    // One-hot times the table: an embedding lookup whose gradient is a plain matrix product.
    NDArray x = tokens.toType(DataType.INT64, false).oneHot(config.vocabSize()).toType(DataType.FLOAT32, false)
        .matMul(table).add(positions); // [B, L, D]
    for (CaptionDecoderBlock block : decoder) {
      x = block.forward(ps, new NDList(x, video), training).head();
    }
    x = decoderNorm.forward(ps, new NDList(x), training).head();
    return head.forward(ps, new NDList(x), training).head();
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    Shape video = new Shape(b, config.videoTokens(), config.dim());
    Shape text = new Shape(b, inputShapes[1].get(1), config.dim());
    embed.initialize(manager, dataType, inputShapes[0]);
    for (VideoEncoderBlock block : encoder) {
      block.initialize(manager, dataType, video);
    }
    encoderNorm.initialize(manager, dataType, video);
    for (CaptionDecoderBlock block : decoder) {
      block.initialize(manager, dataType, text, video);
    }
    decoderNorm.initialize(manager, dataType, text);
    head.initialize(manager, dataType, text);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[1].get(1), config.vocabSize())};
  }
}
