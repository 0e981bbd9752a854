package ying.datasetbuilder;

/** The filters of the funnel, in the order a clip meets them. Each can be switched off. */
public enum Filter {
  /** Empty caption, or fewer words than the minimum. */
  BAD_CAPTION,
  /** The caption holds a word from the blocked list. */
  BLOCKED_WORDS,
  /** Shorter than the minimum clip length, or than every bucket (clips are never padded). */
  TOO_SHORT,
  /** The source frame is smaller than the bucket's, which would mean upscaling. */
  TOO_SMALL,
  /** Motion score below the static threshold. */
  STATIC,
  /** Changes too much per frame, or flashes. */
  TOO_FAST,
  /** A near-copy of a clip with a smaller id (perceptual hash of sampled frames). */
  DUPLICATE;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Filter parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown filter '" + name + "'; filters are "
          + java.util.Arrays.stream(values()).map(Filter::key).toList());
    }
  }
}
