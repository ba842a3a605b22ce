package dev.psp.io;

/** Element types of tensors stored in checkpoints and {@code .npy} files. */
public enum DType {
  FLOAT32(4, "<f4", "FloatStorage"),
  FLOAT64(8, "<f8", "DoubleStorage"),
  FLOAT16(2, "<f2", "HalfStorage"),
  BFLOAT16(2, null, "BFloat16Storage"),
  INT64(8, "<i8", "LongStorage"),
  INT32(4, "<i4", "IntStorage"),
  INT16(2, "<i2", "ShortStorage"),
  INT8(1, "|i1", "CharStorage"),
  UINT8(1, "|u1", "ByteStorage"),
  BOOL(1, "|b1", "BoolStorage");

  private final int byteSize;
  private final String npyDescr;
  private final String torchStorage;

  DType(int byteSize, String npyDescr, String torchStorage) {
    this.byteSize = byteSize;
    this.npyDescr = npyDescr;
    this.torchStorage = torchStorage;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** The NumPy {@code descr} string, or null where NumPy has no such type (bfloat16). */
  public String npyDescr() {
    return npyDescr;
  }

  /** The legacy torch storage class name, e.g. {@code FloatStorage}. */
  public String torchStorage() {
    return torchStorage;
  }

  /** The type for a torch storage class name such as {@code FloatStorage}, or null. */
  public static DType fromTorchStorage(String name) {
    for (DType t : values()) {
      if (t.torchStorage.equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** The type for a NumPy descr such as {@code <f4}, or null. */
  public static DType fromNpyDescr(String descr) {
    for (DType t : values()) {
      if (descr.equals(t.npyDescr)) {
        return t;
      }
    }
    return null;
  }
}
