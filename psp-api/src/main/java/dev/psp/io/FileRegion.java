package dev.psp.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Bytes of a file: {@code stored} bytes at {@code offset} that hold {@code size} bytes of content,
 * either as they are or compressed with raw deflate. The region is known to lie inside the file.
 */
record FileRegion(long offset, long stored, long size, boolean deflated) {
  /** Deflate cannot compress better than about 1032:1; a larger claimed ratio is a corrupt entry. */
  static final long MAX_DEFLATE_RATIO = 1032;

  private static final int CHUNK = 1 << 20;

  /** Uncompressed bytes at {@code offset}. */
  static FileRegion plain(long offset, long size) {
    return new FileRegion(offset, size, size, false);
  }

  /** The first {@code n} bytes of the content. */
  FileRegion prefix(long n) {
    return deflated ? new FileRegion(offset, stored, n, true) : plain(offset, n);
  }

  /** {@code length} bytes at {@code position}, little-endian; the caller has checked the range. */
  static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
    return ByteBuffer.wrap(plain(position, length).read(channel)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A stream of the content; close it after use. */
  InputStream open(FileChannel channel) {
    InputStream raw = new ChannelInputStream(channel, offset, stored);
    if (!deflated) {
      return raw;
    }
    Inflater inflater = new Inflater(true);
    return new InflaterInputStream(raw, inflater) {
      @Override
      public void close() throws IOException {
        super.close();
        inflater.end();
      }
    };
  }

  /**
   * The content in a new array. Deflated content is collected as it inflates, so a false size claim
   * cannot allocate more than the data really holds.
   */
  byte[] read(FileChannel channel) throws IOException {
    if (deflated) {
      try (InputStream in = open(channel)) {
        byte[] out = in.readNBytes(Math.toIntExact(size));
        if (out.length < size) {
          throw new EOFException("deflated data ends after " + out.length + " of " + size + " bytes");
        }
        return out;
      }
    }
    byte[] out = new byte[Math.toIntExact(size)];
    readInto(channel, out, 0);
    return out;
  }

  /**
   * Copies the content of a region that is not deflated into {@code dst} at {@code start}, in reads
   * of at most 1 MiB, which also bounds the temporary direct buffer the JDK uses for each read.
   */
  void readInto(FileChannel channel, byte[] dst, int start) throws IOException {
    if (deflated) {
      throw new IllegalStateException("readInto of a deflated region");
    }
    int end = Math.toIntExact(start + size);
    ByteBuffer buffer = ByteBuffer.wrap(dst, start, end - start);
    while (buffer.position() < end) {
      buffer.limit(Math.min(end, buffer.position() + CHUNK));
      if (channel.read(buffer, offset + buffer.position() - start) < 0) {
        throw new EOFException("the file ends at byte " + (offset + buffer.position() - start)
            + "; it was shortened while being read");
      }
    }
  }

  /**
   * The content of a region that is not deflated in a new direct (off-heap) buffer, read with
   * positioned reads: no page of the file is mapped, so the buffer is the only copy the process holds.
   */
  ByteBuffer readDirect(FileChannel channel) throws IOException {
    if (deflated) {
      throw new IllegalStateException("readDirect of a deflated region");
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(size));
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        throw new EOFException("the file ends at byte " + (offset + buffer.position())
            + "; it was shortened while being read");
      }
    }
    return buffer.flip();
  }

  /** Reads a range of a channel at absolute positions, leaving the channel's position alone. */
  private static final class ChannelInputStream extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    ChannelInputStream(FileChannel channel, long offset, long length) {
      this.channel = channel;
      this.position = offset;
      this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= end) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
      if (n > 0) {
        position += n;
      }
      return n;
    }
  }
}
