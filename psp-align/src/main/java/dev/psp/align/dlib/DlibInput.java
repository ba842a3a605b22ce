package dev.psp.align.dlib;

import java.nio.ByteBuffer;

/**
 * Reads dlib's portable serialization format ({@code dlib/serialize.h}): integers as a control byte
 * (bit 7 = sign, low 4 bits = byte count) and a little-endian magnitude; floating point numbers as
 * an integer mantissa and an integer power-of-two exponent; matrices as negated row and column counts
 * and row-major elements; vectors as a count and their elements.
 *
 * <p>Every malformed value is a {@link DlibFormatException} naming the source, the byte offset and,
 * when the caller gave one, what to do about it. Not thread-safe.
 */
final class DlibInput {
  private static final int INF = 32000;
  private static final int NEG_INF = 32001;

  private final ByteBuffer buf;
  private final String source;
  private final String remedy;

  DlibInput(ByteBuffer buf, String source) {
    this(buf, source, "");
  }

  /**
   * @param source the file or resource name that messages start with
   * @param remedy what the user should do when the data is malformed, appended to every message
   */
  DlibInput(ByteBuffer buf, String source, String remedy) {
    this.buf = buf;
    this.source = source;
    this.remedy = remedy;
  }

  /** A signed integer of at most {@code maxBytes} magnitude bytes (4 for int, 8 for long, 2 for int16). */
  long signed(int maxBytes) {
    int at = buf.position();
    int ctrl = u8();
    int n = ctrl & 0x0F;
    if (n < 1 || n > maxBytes || (ctrl & 0x70) != 0) {
      throw error(at, "bad integer control byte 0x" + Integer.toHexString(ctrl));
    }
    long v = magnitude(n, at);
    return (ctrl & 0x80) != 0 ? -v : v;
  }

  /** An unsigned integer ({@code unsigned long}, {@code size_t}). */
  long unsigned() {
    int at = buf.position();
    int ctrl = u8();
    int n = ctrl & 0x8F;
    if (n < 1 || n > 8) {
      throw error(at, "bad unsigned integer control byte 0x" + Integer.toHexString(ctrl));
    }
    long v = magnitude(n, at);
    if (v < 0) {
      throw error(at, "unsigned integer out of range");
    }
    return v;
  }

  /** A count of elements that must lie in {@code [0, max]}. */
  int count(long max, String what) {
    int at = buf.position();
    long n = unsigned();
    if (n > max) {
      throw error(at, what + " is " + n + ", at most " + max + " expected");
    }
    return (int) n;
  }

  /**
   * A count of elements that take at least {@code minBytes} bytes each, so that they must fit in the
   * rest of the data; a larger count means the data is truncated (or corrupt).
   */
  int countOf(int minBytes, String what) {
    int at = buf.position();
    long n = unsigned();
    if (n > buf.remaining() / minBytes) {
      throw error(at, what + " is " + n + " but only " + buf.remaining()
          + " bytes follow: file ends early (truncated?)");
    }
    return (int) n;
  }

  double float64() {
    int at = buf.position();
    if (buf.hasRemaining() && (buf.get(buf.position()) & 0x70) != 0) {
      throw error(at, "old text-format floating point value, not supported");
    }
    long mantissa = signed(8);
    long exponent = signed(2);
    if (exponent >= INF) {
      return exponent == INF ? Double.POSITIVE_INFINITY
          : exponent == NEG_INF ? Double.NEGATIVE_INFINITY : Double.NaN;
    }
    return Math.scalb((double) mantissa, (int) exponent);
  }

  /**
   * A {@code float}: dlib decodes it as {@code ldexp((float) mantissa, exponent)}, i.e. the mantissa
   * rounded to float once and then scaled with one more rounding (only for subnormal results), which
   * {@link Math#scalb(float, int)} reproduces.
   */
  float float32() {
    int at = buf.position();
    if (buf.remaining() >= 3) {
      // Fast path for the common case (a 1..3-byte mantissa and a 1-byte exponent, e.g. every value
      // of the 100 MB shape predictor): the same checks as signed(8) and signed(2), without the calls.
      int ctrl = buf.get(at) & 0xFF;
      int n = ctrl & 0x0F;
      if ((ctrl & 0x70) == 0 && n >= 1 && n <= 3 && buf.remaining() >= n + 3) {
        int m = buf.get(at + 1) & 0xFF;
        if (n > 1) {
          m |= (buf.get(at + 2) & 0xFF) << 8;
          if (n > 2) {
            m |= (buf.get(at + 3) & 0xFF) << 16;
          }
        }
        int ectrl = buf.get(at + n + 1) & 0xFF;
        if ((ectrl & 0x7F) == 1) {
          int e = buf.get(at + n + 2) & 0xFF;
          buf.position(at + n + 3);
          return Math.scalb((float) ((ctrl & 0x80) != 0 ? -m : m), (ectrl & 0x80) != 0 ? -e : e);
        }
      }
    }
    if (buf.hasRemaining() && (buf.get(at) & 0x70) != 0) {
      throw error(at, "old text-format floating point value, not supported");
    }
    long mantissa = signed(8);
    long exponent = signed(2);
    if (exponent >= INF) {
      return exponent == INF ? Float.POSITIVE_INFINITY
          : exponent == NEG_INF ? Float.NEGATIVE_INFINITY : Float.NaN;
    }
    return Math.scalb((float) mantissa, (int) exponent);
  }

  /** A column vector {@code matrix<double,0,1>}. */
  double[] doubleColumn(int maxRows) {
    int rows = columnRows(maxRows);
    double[] v = new double[rows];
    for (int i = 0; i < rows; i++) {
      v[i] = float64();
    }
    return v;
  }

  /** A column vector {@code matrix<float,0,1>} of exactly {@code rows} elements. */
  float[] floatColumn(int rows) {
    return floatColumn(rows, "column");
  }

  /** A column vector {@code matrix<float,0,1>} of exactly {@code rows} elements; {@code what} names it in errors. */
  float[] floatColumn(int rows, String what) {
    float[] v = new float[rows];
    floatColumn(v, 0, rows, what);
    return v;
  }

  /** A column vector {@code matrix<float,0,1>} of exactly {@code rows} elements, into {@code dst[offset..]}. */
  void floatColumn(float[] dst, int offset, int rows, String what) {
    int at = buf.position();
    int n = columnRows(rows);
    if (n != rows) {
      throw error(at, what + " of " + n + " values, " + rows + " expected");
    }
    for (int i = 0; i < rows; i++) {
      dst[offset + i] = float32();
    }
  }

  private int columnRows(int maxRows) {
    int at = buf.position();
    long nr = signed(8);
    long nc = signed(8);
    if (nr < 0 || nc < 0) {
      nr = -nr;
      nc = -nc;
    }
    if (nc != 1 || nr > maxRows) {
      throw error(at, "matrix of " + nr + "x" + nc + ", a column of at most " + maxRows + " expected");
    }
    return (int) nr;
  }

  int position() {
    return buf.position();
  }

  boolean atEnd() {
    return !buf.hasRemaining();
  }

  /** Bytes left to read. */
  int remaining() {
    return buf.remaining();
  }

  DlibFormatException error(int at, String message) {
    String text = source + ": " + message + " at byte " + at;
    return new DlibFormatException(remedy.isEmpty() ? text : text + ". " + remedy);
  }

  private int u8() {
    if (!buf.hasRemaining()) {
      throw error(buf.position(), "file ends early (truncated?)");
    }
    return buf.get() & 0xFF;
  }

  private long magnitude(int n, int at) {
    if (buf.remaining() < n) {
      throw error(at, "file ends early (truncated?)");
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (long) (buf.get() & 0xFF) << (8 * i);
    }
    return v;
  }
}
