package ying.core.video;

/**
 * A video that cannot be read, with the reason as a {@link Kind} so jobs can turn it into an error
 * row (URI, stage, message) instead of failing a partition.
 */
public final class VideoException extends Exception {
  /** Why a video could not be read. */
  public enum Kind {
    NOT_FOUND("no file at this location"),
    EMPTY("the file is empty"),
    NOT_A_VIDEO("FFmpeg does not recognise the file as a media container"),
    CORRUPT("the container is recognised but damaged or cut short"),
    NO_VIDEO_STREAM("the file has no video stream"),
    BAD_DIMENSIONS("the video stream has no usable frame size"),
    NO_FRAMES("no frame could be decoded"),
    TRUNCATED("the file ends before its declared duration"),
    TOO_LARGE("the video is larger than the configured limit"),
    IO("the file could not be read"),
    ENCODE("the video could not be written");

    private final String meaning;

    Kind(String meaning) {
      this.meaning = meaning;
    }

    public String meaning() {
      return meaning;
    }
  }

  private final Kind kind;
  private final String uri;

  public VideoException(Kind kind, String uri, String detail) {
    this(kind, uri, detail, null);
  }

  public VideoException(Kind kind, String uri, String detail, Throwable cause) {
    super(kind + ": " + kind.meaning() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")")
        + " [" + uri + "]", cause);
    this.kind = kind;
    this.uri = uri;
  }

  public Kind kind() {
    return kind;
  }

  public String uri() {
    return uri;
  }
}
