package dev.psp.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format 1.0-3.0, little-endian, C order), so tensors and
 * latent codes move to and from Python unchanged.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Reads a {@code .npy} file. */
  public static TensorData read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads one array from a stream.
   *
   * @param source named in error messages
   * @throws IOException if the stream is not a little-endian, C-order {@code .npy} array or is truncated
   */
  public static TensorData read(InputStream in, String source) throws IOException {
    byte[] magic = in.readNBytes(8);
    if (magic.length < 8) {
      throw new IOException(source + ": not a .npy file (shorter than its 8-byte preamble)");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new IOException(source + ": not a .npy file (missing the \\x93NUMPY magic)");
      }
    }
    int major = magic[6];
    int headerLen;
    if (major == 1) {
      byte[] l = in.readNBytes(2);
      if (l.length < 2) {
        throw new IOException(source + ": truncated .npy header");
      }
      headerLen = (l[0] & 0xff) | (l[1] & 0xff) << 8;
    } else if (major == 2 || major == 3) {
      byte[] l = in.readNBytes(4);
      if (l.length < 4) {
        throw new IOException(source + ": truncated .npy header");
      }
      headerLen = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (headerLen < 0 || headerLen > (1 << 20)) {
        throw new IOException(source + ": implausible .npy header length " + headerLen);
      }
    } else {
      throw new IOException(source + ": unsupported .npy format version " + major);
    }
    byte[] hb = in.readNBytes(headerLen);
    if (hb.length < headerLen) {
      throw new IOException(source + ": truncated .npy header");
    }
    String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, source, "descr");
    String fortran = group(FORTRAN, header, source, "fortran_order");
    String shapeText = group(SHAPE, header, source, "shape");
    DType dtype = DType.fromNpyDescr(descr.replace('=', '<'));
    if (dtype == null) {
      throw new IOException(
          source + ": unsupported dtype '" + descr + "'; save little-endian float32/float64/int64/int32/uint8/bool"
              + " (e.g. arr.astype('<f4'))");
    }
    if (fortran.equals("True")) {
      throw new IOException(source + ": Fortran-order arrays are not supported; save np.ascontiguousarray(arr)");
    }
    List<Long> dims = new ArrayList<>();
    for (String part : shapeText.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        try {
          dims.add(Long.parseLong(p.replace("L", "")));
        } catch (NumberFormatException e) {
          throw new IOException(source + ": bad shape '(" + shapeText + ")' in .npy header", e);
        }
      }
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    long nbytes;
    try {
      nbytes = Math.multiplyExact(TensorData.numel(shape), (long) dtype.byteSize());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IOException(source + ": bad shape '(" + shapeText + ")' in .npy header", e);
    }
    if (nbytes > Integer.MAX_VALUE - 16) {
      throw new IOException(source + ": array of " + nbytes + " bytes is larger than 2 GiB, the limit of one .npy read");
    }
    byte[] data = in.readNBytes((int) nbytes);
    if (data.length < nbytes) {
      throw new IOException(
          source + ": truncated .npy data: header promises " + nbytes + " bytes, file has " + data.length);
    }
    return TensorData.of(dtype, shape, ByteBuffer.wrap(data));
  }

  private static String group(Pattern p, String header, String source, String what) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(source + ": .npy header has no '" + what + "': " + header.trim());
    }
    return m.group(1);
  }

  /** Writes a tensor as a format-1.0 {@code .npy} file, atomically (a temporary file, then a move). */
  public static void write(Path file, TensorData t) throws IOException {
    dev.psp.internal.AtomicFiles.write(file, out -> write(out, t));
  }

  /** Writes a tensor in {@code .npy} format 1.0 to a stream. */
  public static void write(OutputStream out, TensorData t) throws IOException {
    if (t.dtype().npyDescr() == null) {
      throw new IOException(t.dtype() + " has no NumPy equivalent; convert to float32 first");
    }
    StringBuilder shape = new StringBuilder("(");
    long[] s = t.shape();
    for (int i = 0; i < s.length; i++) {
      shape.append(s[i]);
      if (s.length == 1 || i < s.length - 1) {
        shape.append(',');
        if (i < s.length - 1) {
          shape.append(' ');
        }
      }
    }
    shape.append(')');
    String dict = "{'descr': '" + t.dtype().npyDescr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    out.write(MAGIC);
    out.write(1);
    out.write(0);
    int len = header.length();
    out.write(len & 0xff);
    out.write((len >> 8) & 0xff);
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer b = t.bytes();
    byte[] chunk = new byte[1 << 16];
    while (b.hasRemaining()) {
      int n = Math.min(chunk.length, b.remaining());
      b.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }
}
