package dev.psp;

/** A checkpoint file is corrupt, truncated or not a PyTorch {@code .pt} file that this SDK can read. */
public class CheckpointFormatException extends PspException {
  /** Creates the exception; the message names the file and the defect. */
  public CheckpointFormatException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public CheckpointFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
