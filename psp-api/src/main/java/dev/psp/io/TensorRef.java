package dev.psp.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor as the pickle describes it: a strided view into a storage. Checked against its storage
 * when built; its bytes are read only by {@link #materialise}.
 */
final class TensorRef {
  private final StorageRef storage;
  private final long offset;
  private final long[] size;
  private final long[] stride;

  private TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    this.storage = storage;
    this.offset = offset;
    this.size = size;
    this.stride = stride;
  }

  /**
   * The arguments shared by {@code _rebuild_tensor} and {@code _rebuild_tensor_v2}: storage, storage
   * offset, size and stride, validated so that every element lies inside the storage.
   */
  static TensorRef of(Object storage, Object offset, Object size, Object stride) throws PickleException {
    if (!(storage instanceof StorageRef s)) {
      throw new PickleException("a tensor whose storage is " + Unpickler.describe(storage));
    }
    long off = nonNegative(offset, "storage offset");
    long[] shape = longs(size, "size");
    long[] strides = longs(stride, "stride");
    if (shape.length != strides.length) {
      throw new PickleException(
          "a tensor with size " + Arrays.toString(shape) + " but stride " + Arrays.toString(strides));
    }
    try {
      long numel = TensorData.numel(shape);
      if (Math.multiplyExact(numel, s.dtype().byteSize()) > Integer.MAX_VALUE - 8) {
        throw new PickleException("a tensor of " + numel + " " + s.dtype() + " elements (over 2 GiB)");
      }
      long last = off;
      for (int i = 0; i < shape.length && numel > 0; i++) {
        last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
      }
      if (numel > 0 ? last >= s.numel() : off > s.numel()) {
        throw new PickleException(
            "a tensor of size " + Arrays.toString(shape) + ", stride " + Arrays.toString(strides)
                + " and offset " + off + " reaches element " + last + " of storage '" + s.key()
                + "', which holds only " + s.numel() + " elements");
      }
    } catch (ArithmeticException e) {
      throw new PickleException("a tensor whose size " + Arrays.toString(shape) + " overflows");
    }
    return new TensorRef(s, off, shape, strides);
  }

  /** The storage this tensor views. */
  StorageRef storage() {
    return storage;
  }

  /**
   * Copies the tensor out of its storage (whose element 0 is byte 0 of {@code saved}) into a
   * C-order {@link TensorData}. A contiguous tensor shares the storage's bytes instead of copying.
   */
  TensorData materialise(StorageLoader.Slice saved) {
    ByteBuffer storageBytes = saved.bytes();
    int es = storage.dtype().byteSize();
    long numel = TensorData.numel(size);
    int base = Math.toIntExact((storage.offset() + offset) * es);
    if (isContiguous()) {
      TensorData t = TensorData.of(storage.dtype(), size, storageBytes.slice(base, (int) numel * es));
      return saved.mapped() ? t.asFileMapped() : t;
    }
    byte[] out = new byte[(int) numel * es];
    int rank = size.length;
    long[] index = new long[rank];
    int inner = (int) size[rank - 1];
    int innerStep = (int) stride[rank - 1] * es;
    for (int dst = 0; dst < out.length; ) {
      int src = base;
      for (int d = 0; d < rank - 1; d++) {
        src += (int) (index[d] * stride[d]) * es;
      }
      if (innerStep == es) {
        storageBytes.get(src, out, dst, inner * es);
        dst += inner * es;
      } else {
        for (int i = 0; i < inner; i++, src += innerStep, dst += es) {
          storageBytes.get(src, out, dst, es);
        }
      }
      for (int d = rank - 2; d >= 0 && ++index[d] == size[d]; d--) {
        index[d] = 0;
      }
    }
    return TensorData.of(storage.dtype(), size, ByteBuffer.wrap(out));
  }

  /** The bytes {@link #materialise} allocates: 0 for a contiguous view, which shares its storage. */
  long copyBytes() {
    return isContiguous() ? 0 : TensorData.numel(size) * storage.dtype().byteSize();
  }

  private boolean isContiguous() {
    long expected = 1;
    for (int i = size.length - 1; i >= 0; i--) {
      if (size[i] == 0) {
        return true;
      }
      if (size[i] != 1 && stride[i] != expected) {
        return false;
      }
      expected *= size[i];
    }
    return true;
  }

  private static long nonNegative(Object value, String what) throws PickleException {
    if (value instanceof Long l && l >= 0) {
      return l;
    }
    throw new PickleException("a tensor " + what + " of " + Unpickler.describe(value));
  }

  private static long[] longs(Object tuple, String what) throws PickleException {
    if (!(tuple instanceof List<?> list)) {
      throw new PickleException("a tensor " + what + " of " + Unpickler.describe(tuple));
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = nonNegative(list.get(i), what + " element");
    }
    return out;
  }
}
