package dev.psp.align;

/** A photo had no face to align (or not the one asked for); the message names the photo and what to do. */
public class NoFaceException extends Exception {
  /** Creates the exception. */
  public NoFaceException(String message) {
    super(message);
  }
}
