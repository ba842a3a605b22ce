package dev.psp;

/**
 * Base of the checked exceptions thrown while loading models and checkpoints.
 *
 * <p>Every message names what went wrong and what to do next.
 */
public class PspException extends Exception {
  /** Creates an exception with a message that says what failed and how to fix it. */
  public PspException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public PspException(String message, Throwable cause) {
    super(message, cause);
  }
}
