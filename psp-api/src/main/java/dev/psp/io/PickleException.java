package dev.psp.io;

/**
 * A defect inside a pickle stream. {@link Unpickler} adds the file, the stream and the byte offset
 * and rethrows it as a {@link dev.psp.CheckpointFormatException}.
 */
final class PickleException extends Exception {
  private final boolean truncated;

  /** A malformed pickle. */
  PickleException(String defect) {
    this(defect, false);
  }

  /** A malformed pickle, or with {@code truncated} one that ends before its STOP opcode. */
  PickleException(String defect, boolean truncated) {
    super(defect);
    this.truncated = truncated;
  }

  /** Whether the stream ended early, rather than holding something invalid. */
  boolean truncated() {
    return truncated;
  }
}
