package dev.psp.io;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes the object graph of a torch checkpoint as a protocol-2 pickle, the way {@code torch.save}
 * does: tensors become {@code torch._utils._rebuild_tensor_v2} calls whose storages are persistent
 * ids naming zip records. Package-private; use {@link CheckpointWriter}.
 */
final class PickleWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final StorageSink storages;

  /** Receives each tensor's bytes and returns the storage key it will be written under. */
  interface StorageSink {
    String add(TensorData tensor);
  }

  PickleWriter(StorageSink storages) {
    this.storages = storages;
  }

  byte[] pickle(Object root) {
    out.write(0x80); // PROTO
    out.write(2);
    write(root);
    out.write('.'); // STOP
    return out.toByteArray();
  }

  private void write(Object o) {
    if (o == null) {
      out.write('N');
    } else if (o instanceof Boolean b) {
      out.write(b ? 0x88 : 0x89);
    } else if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
      writeInt(((Number) o).longValue());
    } else if (o instanceof BigInteger big) {
      writeLong1(big);
    } else if (o instanceof Double || o instanceof Float) {
      out.write('G'); // BINFLOAT, big-endian
      long bits = Double.doubleToLongBits(((Number) o).doubleValue());
      for (int i = 7; i >= 0; i--) {
        out.write((int) (bits >>> (8 * i)) & 0xff);
      }
    } else if (o instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write('X'); // BINUNICODE
      writeLe32(b.length);
      out.writeBytes(b);
    } else if (o instanceof TensorData t) {
      writeTensor(t);
    } else if (o instanceof CheckpointWriter.OrderedDict od) {
      global("collections", "OrderedDict");
      out.write(')'); // EMPTY_TUPLE
      out.write('R'); // REDUCE
      writeItems(od.entries());
    } else if (o instanceof Map<?, ?> m) {
      out.write('}'); // EMPTY_DICT
      writeItems(m);
    } else if (o instanceof CheckpointWriter.Tuple t) {
      out.write('(');
      for (Object e : t.items()) {
        write(e);
      }
      out.write('t');
    } else if (o instanceof List<?> l) {
      out.write(']'); // EMPTY_LIST
      if (!l.isEmpty()) {
        out.write('(');
        for (Object e : l) {
          write(e);
        }
        out.write('e'); // APPENDS
      }
    } else {
      throw new IllegalArgumentException("cannot pickle a " + o.getClass().getName()
          + "; use maps, lists, strings, numbers, booleans, null and TensorData");
    }
  }

  private void writeItems(Map<?, ?> m) {
    if (m.isEmpty()) {
      return;
    }
    out.write('(');
    for (Map.Entry<?, ?> e : m.entrySet()) {
      write(e.getKey());
      write(e.getValue());
    }
    out.write('u'); // SETITEMS
  }

  private void writeTensor(TensorData t) {
    global("torch._utils", "_rebuild_tensor_v2");
    out.write('(');
    // persistent id: ('storage', torch.XStorage, key, location, numel)
    out.write('(');
    write("storage");
    global("torch", t.dtype().torchStorage());
    write(storages.add(t));
    write("cpu");
    writeInt(t.numel());
    out.write('t');
    out.write('Q'); // BINPERSID
    writeInt(0);
    long[] shape = t.shape();
    long[] stride = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      stride[i] = s;
      s *= Math.max(shape[i], 1);
    }
    writeLongTuple(shape);
    writeLongTuple(stride);
    out.write(0x89); // requires_grad False
    global("collections", "OrderedDict");
    out.write(')');
    out.write('R');
    out.write('t');
    out.write('R');
  }

  private void writeLongTuple(long[] v) {
    out.write('(');
    for (long x : v) {
      writeInt(x);
    }
    out.write('t');
  }

  private void global(String module, String name) {
    out.write('c');
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private void writeInt(long v) {
    if (v >= 0 && v < 256) {
      out.write('K');
      out.write((int) v);
    } else if (v >= 0 && v < 65536) {
      out.write('M');
      out.write((int) v & 0xff);
      out.write((int) (v >> 8) & 0xff);
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      out.write('J');
      writeLe32((int) v);
    } else {
      writeLong1(BigInteger.valueOf(v));
    }
  }

  private void writeLong1(BigInteger v) {
    byte[] be = v.toByteArray(); // two's complement, big-endian, minimal
    if (be.length > 255) {
      throw new IllegalArgumentException("integer too large to pickle: " + v.bitLength() + " bits");
    }
    out.write(0x8a); // LONG1
    out.write(be.length);
    for (int i = be.length - 1; i >= 0; i--) {
      out.write(be[i]);
    }
  }

  private void writeLe32(int v) {
    out.write(v & 0xff);
    out.write((v >> 8) & 0xff);
    out.write((v >> 16) & 0xff);
    out.write((v >> 24) & 0xff);
  }
}
