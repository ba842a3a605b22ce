package dev.psp.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A protocol-buffers message under construction, written in the binary wire format: varints,
 * fixed32 floats and length-delimited fields (strings, bytes, nested messages). Only what the ONNX
 * messages need; the field numbers live in {@link OnnxProtos}.
 *
 * <p>Byte payloads are kept by reference (a {@link ByteBuffer} view of the checkpoint tensor), sizes
 * are computed once, and {@link #writeTo} streams everything, so a large initializer is never copied
 * into a second big array. Repeated scalars are written unpacked, which every protobuf parser accepts.
 * Not thread-safe while being built; do not change a message after its size was asked for.
 */
final class ProtoMessage {
  private static final int VARINT = 0;
  private static final int FIXED32 = 5;
  private static final int LENGTH_DELIMITED = 2;
  private static final int CHUNK = 1 << 16;

  private final List<Field> fields = new ArrayList<>();
  private long size = -1;

  private sealed interface Field permits Varint, Fixed32, Bytes, Nested {}

  private record Varint(int number, long value) implements Field {}

  private record Fixed32(int number, int bits) implements Field {}

  private record Bytes(int number, ByteBuffer data) implements Field {}

  private record Nested(int number, ProtoMessage message) implements Field {}

  /** Adds an int32/int64/enum/bool field. */
  ProtoMessage varint(int number, long value) {
    fields.add(new Varint(number, value));
    return this;
  }

  /** Adds a float field. */
  ProtoMessage float32(int number, float value) {
    fields.add(new Fixed32(number, Float.floatToRawIntBits(value)));
    return this;
  }

  /** Adds a UTF-8 string field. */
  ProtoMessage string(int number, String value) {
    return bytes(number, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** Adds a bytes field; the buffer's remaining bytes are written later and must not change. */
  ProtoMessage bytes(int number, ByteBuffer value) {
    fields.add(new Bytes(number, value.slice()));
    return this;
  }

  /** Adds a nested message field. */
  ProtoMessage message(int number, ProtoMessage value) {
    fields.add(new Nested(number, value));
    return this;
  }

  /** The encoded size in bytes. */
  long size() {
    if (size < 0) {
      long s = 0;
      for (Field f : fields) {
        s += fieldSize(f);
      }
      size = s;
    }
    return size;
  }

  private static long fieldSize(Field f) {
    if (f instanceof Varint v) {
      return varintSize(tag(v.number(), VARINT)) + varintSize(v.value());
    }
    if (f instanceof Fixed32 x) {
      return varintSize(tag(x.number(), FIXED32)) + 4;
    }
    if (f instanceof Bytes b) {
      long n = b.data().remaining();
      return varintSize(tag(b.number(), LENGTH_DELIMITED)) + varintSize(n) + n;
    }
    Nested m = (Nested) f;
    long n = m.message().size();
    return varintSize(tag(m.number(), LENGTH_DELIMITED)) + varintSize(n) + n;
  }

  /** Writes the message (without its own length prefix). */
  void writeTo(OutputStream out) throws IOException {
    byte[] chunk = null;
    for (Field f : fields) {
      if (f instanceof Varint v) {
        writeVarint(out, tag(v.number(), VARINT));
        writeVarint(out, v.value());
      } else if (f instanceof Fixed32 x) {
        writeVarint(out, tag(x.number(), FIXED32));
        int b = x.bits();
        out.write(b);
        out.write(b >>> 8);
        out.write(b >>> 16);
        out.write(b >>> 24);
      } else if (f instanceof Bytes b) {
        ByteBuffer data = b.data().duplicate();
        writeVarint(out, tag(b.number(), LENGTH_DELIMITED));
        writeVarint(out, data.remaining());
        if (data.hasArray()) {
          out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        } else {
          if (chunk == null) {
            chunk = new byte[CHUNK];
          }
          while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            out.write(chunk, 0, n);
          }
        }
      } else {
        Nested m = (Nested) f;
        writeVarint(out, tag(m.number(), LENGTH_DELIMITED));
        writeVarint(out, m.message().size());
        m.message().writeTo(out);
      }
    }
  }

  private static long tag(int number, int wireType) {
    return ((long) number << 3) | wireType;
  }

  /** The bytes a varint takes: 1 to 10 (negative int64 values take 10). */
  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** Writes a base-128 varint, least significant group first. */
  static void writeVarint(OutputStream out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
