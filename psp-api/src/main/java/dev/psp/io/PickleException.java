package dev.psp.io;

/**
 * A defect inside a pickle stream. {@link Unpickler} adds the file, the stream and the byte offset
 * and rethrows it as a {@link dev.psp.CheckpointFormatException}.
 */
final class PickleException extends Exception {
  PickleException(String defect) {
    super(defect);
  }
}
