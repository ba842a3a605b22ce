package dev.psp;

import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable batch of W+ latent codes, shape {@code [batch, nStyles, dim]} (dim is 512 for the
 * official models; {@code nStyles = 2·log2(size) − 2}, 18 at 1024 px).
 *
 * <p>Row {@code i} of a code is the style fed to generator layer {@code i}: rows 0-2 are "coarse"
 * (pose, face shape), 3-6 "medium" (features, expression) and 7 and up "fine" (colour, texture).
 * All operations return new codes. Thread-safe.
 */
public final class LatentCode {
  private final float[] values;
  private final int batch;
  private final int nStyles;
  private final int dim;

  private LatentCode(float[] values, int batch, int nStyles, int dim) {
    checkShape(values.length, batch, nStyles, dim);
    this.values = values;
    this.batch = batch;
    this.nStyles = nStyles;
    this.dim = dim;
  }

  /**
   * A code from C-order values of shape {@code [batch, nStyles, dim]}; the array is copied.
   *
   * @throws IllegalArgumentException if the length does not match the shape
   */
  public static LatentCode of(float[] values, int batch, int nStyles, int dim) {
    checkShape(values.length, batch, nStyles, dim);
    return new LatentCode(values.clone(), batch, nStyles, dim);
  }

  private static void checkShape(long length, int batch, int nStyles, int dim) {
    if (batch < 1 || nStyles < 1 || dim < 1) {
      throw new IllegalArgumentException(
          "shape must be positive, got [" + batch + ", " + nStyles + ", " + dim + "]");
    }
    if ((long) batch * nStyles * dim != length) {
      throw new IllegalArgumentException("values has " + length + " floats, shape [" + batch + ", "
          + nStyles + ", " + dim + "] needs " + ((long) batch * nStyles * dim));
    }
  }

  /**
   * A code from a tensor {@code [B, n, dim]}, {@code [n, dim]} (batch 1), or a single w
   * {@code [B, dim]} repeated to {@code nStyles} rows when {@code nStyles > 0} is given for it.
   *
   * @param nStyles rows to repeat a 2-D {@code [B, dim]} w into; ignored for 3-D tensors
   * @throws IllegalArgumentException naming the shape it got
   */
  public static LatentCode fromTensor(TensorData t, int nStyles) {
    long[] s = t.shape();
    for (long d : s) {
      if (d > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("latent codes of shape " + Arrays.toString(s) + " are too large");
      }
    }
    float[] v = t.toFloatArray();
    if (s.length == 3) {
      return new LatentCode(v, (int) s[0], (int) s[1], (int) s[2]);
    }
    if (s.length == 2 && nStyles > 0) {
      return repeatW(v, (int) s[0], nStyles, (int) s[1]);
    }
    throw new IllegalArgumentException("latent codes must be [batch, n_styles, dim]"
        + (nStyles > 0 ? " or a w [batch, dim]" : "") + ", got " + Arrays.toString(s));
  }

  /** A W+ code whose {@code nStyles} rows all equal the w of each sample ({@code w} is {@code [batch, dim]}). */
  public static LatentCode repeatW(float[] w, int batch, int nStyles, int dim) {
    if (batch < 1 || nStyles < 1 || dim < 1 || (long) batch * nStyles * dim > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a W+ code [" + batch + ", " + nStyles + ", " + dim
          + "] must have a positive shape of at most " + Integer.MAX_VALUE + " floats");
    }
    if ((long) batch * dim != w.length) {
      throw new IllegalArgumentException("w has " + w.length + " floats, expected batch*dim = " + batch * dim);
    }
    float[] out = new float[batch * nStyles * dim];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < nStyles; i++) {
        System.arraycopy(w, b * dim, out, (b * nStyles + i) * dim, dim);
      }
    }
    return new LatentCode(out, batch, nStyles, dim);
  }

  /** Reads a code from a {@code .npy} file of shape {@code [B, n, dim]} or {@code [n, dim]}. */
  public static LatentCode load(Path file) throws IOException {
    TensorData t = Npy.read(file);
    if (t.dtype() != dev.psp.io.DType.FLOAT32 && t.dtype() != dev.psp.io.DType.FLOAT64) {
      throw new IOException(file + ": latent codes must be float32 or float64, got " + t.dtype().name().toLowerCase(
          java.util.Locale.ROOT) + " (integers would be used as raw values)");
    }
    long[] s = t.shape();
    if (s.length > 0 && s[0] == 0) {
      throw new IOException(file + ": the file holds no latent codes (batch 0)");
    }
    if (s.length == 2) {
      t = t.reshape(1, s[0], s[1]);
    }
    try {
      return fromTensor(t, 0);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the code as a float32 {@code .npy} file of shape {@code [B, n, dim]}, loadable with numpy. */
  public void save(Path file) throws IOException {
    Npy.write(file, toTensor());
  }

  /** The code as a float32 tensor {@code [batch, nStyles, dim]}. */
  public TensorData toTensor() {
    return TensorData.ofFloats(values, batch, nStyles, dim);
  }

  /** Number of codes in the batch. */
  public int batchSize() {
    return batch;
  }

  /** Number of W+ rows. */
  public int nStyles() {
    return nStyles;
  }

  /** Width of each row (512 for the official models). */
  public int dim() {
    return dim;
  }

  /** A copy of all values, C order. */
  public float[] values() {
    return values.clone();
  }

  /** A copy of row {@code row} of sample {@code sample}. */
  public float[] row(int sample, int row) {
    checkIndex(sample, batch, "sample");
    checkIndex(row, nStyles, "row");
    int o = (sample * nStyles + row) * dim;
    return Arrays.copyOfRange(values, o, o + dim);
  }

  /** Sample {@code index} as a batch of one. */
  public LatentCode sample(int index) {
    checkIndex(index, batch, "sample");
    int n = nStyles * dim;
    return new LatentCode(Arrays.copyOfRange(values, index * n, (index + 1) * n), 1, nStyles, dim);
  }

  /** Samples {@code from} (inclusive) to {@code to} (exclusive) as one batch. */
  public LatentCode slice(int from, int to) {
    if (from < 0 || to > batch || from >= to) {
      throw new IndexOutOfBoundsException("samples " + from + ".." + to + " of a batch of " + batch);
    }
    int n = nStyles * dim;
    return new LatentCode(Arrays.copyOfRange(values, from * n, to * n), to - from, nStyles, dim);
  }

  /** The codes of several batches stacked into one; all must have the same rows and width. */
  public static LatentCode concat(List<LatentCode> codes) {
    if (codes.isEmpty()) {
      throw new IllegalArgumentException("codes must not be empty");
    }
    LatentCode first = codes.get(0);
    int total = 0;
    for (LatentCode c : codes) {
      first.checkSameRows(c, "concat");
      total += c.batch;
    }
    float[] out = new float[total * first.nStyles * first.dim];
    int o = 0;
    for (LatentCode c : codes) {
      System.arraycopy(c.values, 0, out, o, c.values.length);
      o += c.values.length;
    }
    return new LatentCode(out, total, first.nStyles, first.dim);
  }

  /** {@code this + strength · direction} on every row (InterFaceGAN-style editing; see {@link Direction}). */
  public LatentCode edit(Direction direction, double strength) {
    return direction.apply(this, strength);
  }

  /** {@code this + strength · direction} on the given rows only. */
  public LatentCode edit(Direction direction, double strength, int[] rows) {
    return direction.apply(this, strength, rows);
  }

  /** {@code this + strength · direction} on rows {@code [fromRow, toRow)} only. */
  public LatentCode edit(Direction direction, double strength, int fromRow, int toRow) {
    return direction.apply(this, strength, fromRow, toRow);
  }

  /** {@code this + other}; a batch-1 {@code other} is broadcast over this batch. */
  public LatentCode add(LatentCode other) {
    return combine(other, 1, 1, "add");
  }

  /** {@code this - other}; a batch-1 {@code other} is broadcast over this batch. */
  public LatentCode subtract(LatentCode other) {
    return combine(other, 1, -1, "subtract");
  }

  /** {@code this * factor}. */
  public LatentCode scale(double factor) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (values[i] * factor);
    }
    return new LatentCode(out, batch, nStyles, dim);
  }

  /**
   * Linear interpolation {@code (1-t)·this + t·other}: t=0 gives this code, t=1 the other. A batch-1
   * {@code other} is broadcast.
   */
  public LatentCode interpolate(LatentCode other, double t) {
    checkSameRows(other, "interpolate");
    checkBroadcast(other, "interpolate");
    float[] out = new float[values.length];
    int per = nStyles * dim;
    for (int i = 0; i < out.length; i++) {
      float o = other.values[other.batch == 1 ? i % per : i];
      out[i] = (float) ((1 - t) * values[i] + t * o);
    }
    return new LatentCode(out, batch, nStyles, dim);
  }

  /**
   * The official style-mixing rule (pSp {@code latent_mask} with {@code inject_latent}): for each row i
   * in {@code rows}, {@code alpha·other[i] + (1−alpha)·this[i]}; other rows are kept. {@code alpha}
   * = 1 replaces the rows. A batch-1 {@code other} is broadcast.
   *
   * @throws IllegalArgumentException for a row outside {@code [0, nStyles)}
   */
  public LatentCode mixRows(LatentCode other, int[] rows, double alpha) {
    checkSameRows(other, "mixRows");
    checkBroadcast(other, "mixRows");
    float[] out = values.clone();
    int per = nStyles * dim;
    for (int row : rows) {
      checkIndex(row, nStyles, "row");
      for (int b = 0; b < batch; b++) {
        int o = b * per + row * dim;
        int so = (other.batch == 1 ? 0 : b * per) + row * dim;
        for (int k = 0; k < dim; k++) {
          out[o + k] = alpha == 1.0
              ? other.values[so + k]
              : (float) (alpha * other.values[so + k] + (1 - alpha) * values[o + k]);
        }
      }
    }
    return new LatentCode(out, batch, nStyles, dim);
  }

  /** Rows {@code rows} replaced by those of {@code other} (mixing with alpha 1). */
  public LatentCode replaceRows(LatentCode other, int[] rows) {
    return mixRows(other, rows, 1.0);
  }

  private LatentCode combine(LatentCode other, float a, float b, String op) {
    checkSameRows(other, op);
    checkBroadcast(other, op);
    float[] out = new float[values.length];
    int per = nStyles * dim;
    for (int i = 0; i < out.length; i++) {
      out[i] = a * values[i] + b * other.values[other.batch == 1 ? i % per : i];
    }
    return new LatentCode(out, batch, nStyles, dim);
  }

  private void checkSameRows(LatentCode other, String op) {
    if (other.nStyles != nStyles || other.dim != dim) {
      throw new IllegalArgumentException(op + ": codes must have the same rows and width, got ["
          + nStyles + ", " + dim + "] and [" + other.nStyles + ", " + other.dim + "]");
    }
  }

  private void checkBroadcast(LatentCode other, String op) {
    if (other.batch != batch && other.batch != 1) {
      throw new IllegalArgumentException(
          op + ": other code must have batch " + batch + " or 1, got " + other.batch);
    }
  }

  private static void checkIndex(int i, int size, String what) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(what + " " + i + " is outside [0, " + size + ")");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatentCode c && c.batch == batch && c.nStyles == nStyles && c.dim == dim
        && Arrays.equals(c.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values) * 31 + batch * 17 + nStyles;
  }

  @Override
  public String toString() {
    return "LatentCode[" + batch + ", " + nStyles + ", " + dim + "]";
  }

}
