package ying.core.registry;

/** A checkpoint that is missing, incomplete or damaged; the message says which file and why. */
public final class CheckpointException extends RuntimeException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
