package dev.psp;

/** An input image file is not a readable image, is cut off, or declares more pixels than allowed. */
public class ImageFormatException extends PspException {
  /** Why the image was refused. */
  public enum Reason {
    /** Not an image of an accepted format. */
    NOT_AN_IMAGE,
    /** An image of an accepted format whose data is cut off or corrupt. */
    CORRUPT,
    /** The header declares a width, height or pixel count beyond the limits. */
    TOO_LARGE
  }

  private final Reason reason;

  /** Creates the exception; the message names the file and the defect. */
  public ImageFormatException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Creates the exception with its cause. */
  public ImageFormatException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the image was refused. */
  public Reason reason() {
    return reason;
  }
}
