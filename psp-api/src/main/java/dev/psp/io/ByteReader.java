package dev.psp.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the primitive values of a pickle stream of known length, little-endian unless stated.
 *
 * <p>Every length is checked against the bytes that remain before anything is allocated, and large
 * values are allocated as their bytes arrive, so a hostile length field cannot exhaust memory.
 */
final class ByteReader {
  private static final int ALLOCATION_STEP = 1 << 20;

  private final InputStream in;
  private final long length;
  private final String what;
  private final byte[] buffer = new byte[8192];
  private int bufferPos;
  private int bufferLen;
  private long position;
  private long cap = Long.MAX_VALUE;

  /**
   * @param in the stream, positioned at the first byte
   * @param length how many bytes the stream holds
   * @param what names the stream in messages, e.g. {@code data.pkl}
   */
  ByteReader(InputStream in, long length, String what) {
    this.in = in;
    this.length = length;
    this.what = what;
  }

  /** Bytes consumed so far. */
  long position() {
    return position;
  }

  /** From here on, refuses to read more than {@code maxBytes} bytes. */
  void limit(long maxBytes) {
    cap = position + maxBytes;
  }

  /** The name of the stream, for messages. */
  String what() {
    return what;
  }

  int u1() throws IOException, PickleException {
    require(1);
    if (bufferPos == bufferLen) {
      fill();
    }
    position++;
    return buffer[bufferPos++] & 0xff;
  }

  int u2() throws IOException, PickleException {
    return u1() | u1() << 8;
  }

  int s4() throws IOException, PickleException {
    return u2() | u2() << 16;
  }

  long u4() throws IOException, PickleException {
    return s4() & 0xffffffffL;
  }

  /** An unsigned 64-bit value; values of 2^63 and above are rejected as no file can hold them. */
  long u8() throws IOException, PickleException {
    long v = u4() | u4() << 32;
    if (v < 0) {
      throw new PickleException("a length of " + Long.toUnsignedString(v) + " bytes");
    }
    return v;
  }

  /** An IEEE 754 double, big-endian as pickle stores it. */
  double f8be() throws IOException, PickleException {
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = bits << 8 | u1();
    }
    return Double.longBitsToDouble(bits);
  }

  /** {@code n} bytes; fails without allocating when fewer remain. */
  byte[] bytes(long n) throws IOException, PickleException {
    if (n < 0) {
      throw new PickleException("a negative length " + n);
    }
    require(n);
    if (n > Integer.MAX_VALUE - 8) {
      throw new PickleException("a value of " + n + " bytes, more than the 2 GiB one value can hold");
    }
    byte[] out = new byte[(int) Math.min(n, ALLOCATION_STEP)];
    int filled = 0;
    while (filled < n) {
      if (filled == out.length) {
        out = Arrays.copyOf(out, (int) Math.min(n, 2L * out.length));
      }
      if (bufferPos == bufferLen) {
        fill();
      }
      int k = Math.min(out.length - filled, bufferLen - bufferPos);
      System.arraycopy(buffer, bufferPos, out, filled, k);
      bufferPos += k;
      filled += k;
      position += k;
    }
    return out;
  }

  /** A UTF-8 string of {@code n} bytes; malformed UTF-8 is an error, as in Python. */
  String utf8(long n) throws IOException, PickleException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes(n)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new PickleException("a string that is not valid UTF-8");
    }
  }

  /** A line of at most {@code max} bytes ending in a newline, without the newline. */
  String line(int max) throws IOException, PickleException {
    StringBuilder sb = new StringBuilder();
    for (int c = u1(); c != '\n'; c = u1()) {
      if (sb.length() == max) {
        throw new PickleException("a text line longer than " + max + " bytes");
      }
      sb.append((char) c);
    }
    return sb.toString();
  }

  private void require(long n) throws PickleException {
    if (n > length - position) {
      throw new PickleException(
          "needs " + n + " more bytes at byte " + position + " but " + what + " ends at byte " + length, true);
    }
    if (n > cap - position) {
      throw new PickleException("needs " + n + " more bytes at byte " + position + ", beyond the limit of "
          + "this pickle at byte " + cap);
    }
  }

  private void fill() throws IOException, PickleException {
    int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - position));
    if (n <= 0) {
      throw new PickleException(what + " ends early at byte " + position + " of " + length, true);
    }
    bufferPos = 0;
    bufferLen = n;
  }
}
