package dev.psp;

import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A direction in latent space for editing (InterFaceGAN's boundary normals, Shen et al. 2020; any
 * {@code [512]} or {@code [n_styles,512]} vector): {@code edited = code + strength · direction}, as the
 * official {@code LatentEditor.apply_interfacegan} computes it in float32. A one-row direction moves
 * every row of a W+ code; a per-row direction moves each row by its own vector. Immutable.
 */
public final class Direction {
  private final float[] values;
  private final int rows;
  private final int dim;

  private Direction(float[] values, int rows, int dim) {
    this.values = values;
    this.rows = rows;
    this.dim = dim;
  }

  /**
   * A direction of {@code rows} × {@code dim} values (rows = 1 for a W direction).
   *
   * @throws IllegalArgumentException if the sizes disagree or a value is not finite
   */
  public static Direction of(float[] values, int rows, int dim) {
    if (rows < 1 || dim < 1 || values.length != (long) rows * dim) {
      throw new IllegalArgumentException("a direction needs rows x dim = " + rows + " x " + dim + " values, got "
          + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException("direction value " + i + " is " + values[i] + "; directions must be finite");
      }
    }
    return new Direction(values.clone(), rows, dim);
  }

  /**
   * Reads a direction from {@code .npy} or a PyTorch {@code .pt} holding one tensor (the official
   * InterFaceGAN files of e4e and ReStyle: {@code age.pt} {@code [1,512]}, {@code pose.pt} {@code
   * [1,18,512]}). Shapes {@code [dim]}, {@code [1,dim]}, {@code [rows,dim]} and {@code [1,rows,dim]}
   * are accepted.
   *
   * @throws IOException if the file cannot be read, or holds no tensor of such a shape (naming it)
   * @throws CheckpointFormatException if a .pt file is malformed or unsafe
   */
  public static Direction read(Path file) throws IOException, CheckpointFormatException {
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "no direction file here; pass a .npy or .pt"
          + " holding a [512] or [n_styles, 512] tensor");
    }
    TensorData t;
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      t = Npy.read(file);
    } else {
      try (Checkpoint c = CheckpointReader.read(file)) {
        Object root = c.root();
        if (!(root instanceof TensorData td)) {
          throw new IOException(file + " holds " + (root == null ? "None" : root.getClass().getSimpleName())
              + ", not a tensor; a direction file is one [512] or [n_styles, 512] tensor");
        }
        t = td;
      }
    }
    if (t.dtype() != dev.psp.io.DType.FLOAT32 && t.dtype() != dev.psp.io.DType.FLOAT64) {
      throw new IOException(file + ": a direction must be float32 or float64, got "
          + t.dtype().name().toLowerCase(Locale.ROOT) + " (integers would be used as raw values)");
    }
    long[] s = t.shape();
    long[] m = s.length == 3 && s[0] == 1 ? new long[] {s[1], s[2]} : s.length == 1 ? new long[] {1, s[0]} : s;
    if (m.length != 2 || m[0] < 1 || m[1] < 1) {
      throw new IOException(file + " holds a tensor of shape " + Arrays.toString(s)
          + "; a direction is [dim], [1, dim], [rows, dim] or [1, rows, dim]");
    }
    try {
      return of(t.toFloatArray(), Math.toIntExact(m[0]), Math.toIntExact(m[1]));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the direction as {@code .npy}, {@code [rows, dim]} float32. */
  public void save(Path file) throws IOException {
    dev.psp.internal.AtomicFiles.write(file, out -> Npy.write(out, TensorData.ofFloats(values, rows, dim)));
  }

  /** The direction scaled to unit length (InterFaceGAN normalises its boundary normals). */
  public Direction normalized() {
    double sum = 0;
    for (float v : values) {
      sum += (double) v * v;
    }
    if (sum == 0) {
      throw new IllegalStateException("a zero direction has no unit length");
    }
    double n = Math.sqrt(sum);
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (values[i] / n);
    }
    return new Direction(out, rows, dim);
  }

  /** {@code code + strength · direction} on every row. */
  public LatentCode apply(LatentCode code, double strength) {
    return apply(code, strength, 0, code.nStyles());
  }

  /**
   * {@code code + strength · direction} on rows {@code [fromRow, toRow)} only; other rows unchanged.
   *
   * @throws IllegalArgumentException if the dimensions or rows do not fit the code, or strength is not finite
   */
  public LatentCode apply(LatentCode code, double strength, int fromRow, int toRow) {
    if (fromRow < 0 || toRow > code.nStyles() || fromRow >= toRow) {
      throw new IllegalArgumentException("rows [" + fromRow + ", " + toRow + ") are not within the code's "
          + code.nStyles() + " rows");
    }
    return apply(code, strength, java.util.stream.IntStream.range(fromRow, toRow).toArray());
  }

  /**
   * {@code code + strength · direction} on the given rows only (e.g. {@link StyleMixer#rows}); other
   * rows unchanged.
   *
   * @throws IllegalArgumentException if the dimensions or rows do not fit the code, or strength is not finite
   */
  public LatentCode apply(LatentCode code, double strength, int[] rowsToEdit) {
    if (!Double.isFinite(strength)) {
      throw new IllegalArgumentException("strength must be finite, got " + strength);
    }
    if (code.dim() != dim) {
      throw new IllegalArgumentException("the direction has dimension " + dim + ", the code " + code.dim());
    }
    if (rows != 1 && rows != code.nStyles()) {
      throw new IllegalArgumentException("the direction has " + rows + " rows; the code has " + code.nStyles()
          + " (use a one-row direction, or one for this generator size)");
    }
    int n = code.nStyles();
    for (int r : rowsToEdit) {
      if (r < 0 || r >= n) {
        throw new IllegalArgumentException("row " + r + " is not within the code's " + n + " rows");
      }
    }
    float s = (float) strength;
    float[] v = code.values();
    for (int b = 0; b < code.batchSize(); b++) {
      for (int r : rowsToEdit) {
        int dirBase = (rows == 1 ? 0 : r) * dim;
        int base = (b * n + r) * dim;
        for (int k = 0; k < dim; k++) {
          v[base + k] = v[base + k] + s * values[dirBase + k];
        }
      }
    }
    return LatentCode.of(v, code.batchSize(), n, dim);
  }

  /** Rows: 1 for a W direction, else the number of W+ rows. */
  public int rows() {
    return rows;
  }

  /** The latent dimension. */
  public int dim() {
    return dim;
  }

  /** A copy of the values, row-major. */
  public float[] values() {
    return values.clone();
  }

  @Override
  public String toString() {
    return "Direction[" + rows + " x " + dim + "]";
  }
}
