package dev.psp;

/**
 * An engine failed: it is unknown, it cannot run on the requested device, or its native library
 * failed at run time. Unchecked, as the caller usually cannot recover.
 */
public class EngineException extends RuntimeException {
  /** Creates the exception. */
  public EngineException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
