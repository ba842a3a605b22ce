package dev.psp.align.dlib;

/** A dlib model file that does not hold what it should: truncated, corrupt, or another model. */
public final class DlibFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, with the file and byte offset */
  public DlibFormatException(String message) {
    super(message);
  }
}
