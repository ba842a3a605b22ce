package dev.psp.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable host tensor: element type, shape, and contiguous little-endian C-order bytes.
 *
 * <p>This is how the checkpoint reader and the {@code .npy} codec hand tensors around. It owns no
 * native memory. Thread-safe.
 */
public final class TensorData {
  private final DType dtype;
  private final long[] shape;
  private final ByteBuffer data;
  private final boolean fileMapped;

  private TensorData(DType dtype, long[] shape, ByteBuffer data) {
    this(dtype, shape, data, false);
  }

  private TensorData(DType dtype, long[] shape, ByteBuffer data, boolean fileMapped) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
    this.fileMapped = fileMapped;
  }

  /** The same tensor, marked as a view of memory-mapped file pages (see {@link #isFileMapped}). */
  TensorData asFileMapped() {
    return new TensorData(dtype, shape, data, true);
  }

  /**
   * True when the bytes are pages of a memory-mapped file ({@code psp.io.storage=mmap}): an engine
   * must copy them rather than use them as its own memory, since the file may change underneath.
   * False for heap arrays and for the private direct buffers of the default {@code direct} mode.
   */
  public boolean isFileMapped() {
    return fileMapped;
  }

  /**
   * Wraps bytes (little-endian, C order) as a tensor. The buffer's remaining bytes must equal
   * {@code numel(shape) * dtype.byteSize()}; the buffer is not copied and must not be changed later.
   */
  public static TensorData of(DType dtype, long[] shape, ByteBuffer data) {
    Objects.requireNonNull(dtype, "dtype");
    long[] s = shape.clone();
    long n = numel(s);
    long expected = n * dtype.byteSize();
    if (data.remaining() != expected) {
      throw new IllegalArgumentException(
          "data has " + data.remaining() + " bytes, shape " + Arrays.toString(s) + " of " + dtype
              + " needs " + expected);
    }
    ByteBuffer b = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    return new TensorData(dtype, s, b);
  }

  /** A float32 tensor holding a copy of {@code values} with the given shape. */
  public static TensorData ofFloats(float[] values, long... shape) {
    if (numel(shape) != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + numel(shape) + " values, got " + values.length);
    }
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new TensorData(DType.FLOAT32, shape.clone(), b);
  }

  /** An int64 tensor holding a copy of {@code values} with the given shape. */
  public static TensorData ofLongs(long[] values, long... shape) {
    if (numel(shape) != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + numel(shape) + " values, got " + values.length);
    }
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return new TensorData(DType.INT64, shape.clone(), b);
  }

  /** Number of elements of a shape (1 for a 0-d shape); rejects negative dimensions. */
  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code i}. */
  public long dim(int i) {
    return shape[i];
  }

  /** Number of elements. */
  public long numel() {
    return numel(shape);
  }

  /** A read-only little-endian view of the bytes, positioned at 0. */
  public ByteBuffer bytes() {
    return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The same data with another shape of equal element count. */
  public TensorData reshape(long... newShape) {
    if (numel(newShape) != numel()) {
      throw new IllegalArgumentException(
          "cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
    }
    return new TensorData(dtype, newShape.clone(), data, fileMapped);
  }

  /**
   * The flat index of the first NaN or infinite value, or -1 when every value is finite (always for
   * integer and boolean tensors). Reads the data in place, without a copy.
   */
  public long firstNonFinite() {
    long n = numel();
    ByteBuffer b = bytes();
    switch (dtype) {
      case FLOAT32 -> {
        java.nio.FloatBuffer f = b.asFloatBuffer();
        float[] chunk = new float[(int) Math.min(n, 1 << 16)];
        for (long from = 0; from < n; from += chunk.length) {
          int len = (int) Math.min(chunk.length, n - from);
          f.get(chunk, 0, len);
          for (int i = 0; i < len; i++) {
            if (!Float.isFinite(chunk[i])) {
              return from + i;
            }
          }
        }
      }
      case FLOAT64 -> {
        for (long i = 0; i < n; i++) {
          if (!Double.isFinite(b.getDouble(Math.toIntExact(i * 8)))) {
            return i;
          }
        }
      }
      case FLOAT16, BFLOAT16 -> {
        int exponent = dtype == DType.FLOAT16 ? 0x7c00 : 0x7f80; // all ones: infinity or NaN
        for (long i = 0; i < n; i++) {
          if ((b.getShort(Math.toIntExact(i * 2)) & exponent) == exponent) {
            return i;
          }
        }
      }
      default -> {
        // integers and booleans are always finite
      }
    }
    return -1;
  }

  /** The values converted to float32 (exact for float32, float16 and bfloat16; rounded for others). */
  public float[] toFloatArray() {
    int n = Math.toIntExact(numel());
    float[] out = new float[n];
    ByteBuffer b = bytes();
    switch (dtype) {
      case FLOAT32 -> b.asFloatBuffer().get(out);
      case FLOAT64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) b.getDouble(i * 8);
        }
      }
      case FLOAT16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = halfToFloat(b.getShort(i * 2));
        }
      }
      case BFLOAT16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
        }
      }
      default -> {
        long[] l = toLongArray();
        for (int i = 0; i < n; i++) {
          out[i] = l[i];
        }
      }
    }
    return out;
  }

  /** The values converted to float64. */
  public double[] toDoubleArray() {
    int n = Math.toIntExact(numel());
    if (dtype == DType.FLOAT64) {
      double[] out = new double[n];
      bytes().asDoubleBuffer().get(out);
      return out;
    }
    if (dtype == DType.INT64) {
      long[] l = toLongArray();
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = l[i];
      }
      return out;
    }
    float[] f = toFloatArray();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = f[i];
    }
    return out;
  }

  /** The values of an integer or bool tensor as int64; floating types are truncated toward zero. */
  public long[] toLongArray() {
    int n = Math.toIntExact(numel());
    long[] out = new long[n];
    ByteBuffer b = bytes();
    switch (dtype) {
      case INT64 -> b.asLongBuffer().get(out);
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt(i * 4);
        }
      }
      case INT16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getShort(i * 2);
        }
      }
      case INT8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i);
        }
      }
      case UINT8, BOOL -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i) & 0xff;
        }
      }
      default -> {
        double[] d = toDoubleArray();
        for (int i = 0; i < n; i++) {
          out[i] = (long) d[i];
        }
      }
    }
    return out;
  }

  /** IEEE 754 binary16 to float32, exact (subnormals, infinities and NaN included). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  @Override
  public String toString() {
    return "TensorData[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
