package dev.psp;

/** A model name or file could not be resolved; the message lists the folders searched. */
public class ModelNotFoundException extends PspException {
  /** Creates the exception. */
  public ModelNotFoundException(String message) {
    super(message);
  }
}
