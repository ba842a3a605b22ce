package dev.psp;

/**
 * A checkpoint's pickle names a global outside the allow-list (for example {@code os.system}).
 *
 * <p>Nothing from the file was executed; the file is refused, like torch's {@code weights_only} loader does.
 */
public class UnsafeCheckpointException extends CheckpointFormatException {
  /** Creates the exception; the message names the refused global. */
  public UnsafeCheckpointException(String message) {
    super(message);
  }
}
