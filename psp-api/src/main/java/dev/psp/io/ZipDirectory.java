package dev.psp.io;

import dev.psp.CheckpointFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip file (with Zip64 extensions), read from the end of the file.
 *
 * <p>Every offset and size is checked against the file size before it is used.
 */
final class ZipDirectory {
  /** One file of the archive, as the central directory describes it. */
  record Entry(String name, int method, long compressedSize, long size, long localHeaderOffset) {}

  private static final int EOCD = 0x06054b50;
  private static final int EOCD_SIZE = 22;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int ZIP64_EOCD = 0x06064b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int LOCAL_HEADER = 0x04034b50;
  private static final long MAX_CENTRAL_DIRECTORY = Integer.MAX_VALUE - 8;

  private final String file;
  private final long fileSize;
  private final Map<String, Entry> entries;

  private ZipDirectory(String file, long fileSize, Map<String, Entry> entries) {
    this.file = file;
    this.fileSize = fileSize;
    this.entries = entries;
  }

  /** Reads the central directory of the zip file open on {@code channel}. */
  static ZipDirectory read(FileChannel channel, long fileSize, String file)
      throws IOException, CheckpointFormatException {
    int tailLength = (int) Math.min(fileSize, EOCD_SIZE + 0xffff);
    ByteBuffer tail = FileRegion.readAt(channel, fileSize - tailLength, tailLength);
    int eocd = -1;
    for (int i = tailLength - EOCD_SIZE; i >= 0 && eocd < 0; i--) {
      if (tail.getInt(i) == EOCD && i + EOCD_SIZE + (tail.getShort(i + 20) & 0xffff) == tailLength) {
        eocd = i;
      }
    }
    if (eocd < 0) {
      throw Failures.truncated(file, "the zip archive has no end-of-central-directory record in its last "
          + tailLength + " bytes (the file has " + fileSize + " bytes)");
    }
    long eocdOffset = fileSize - tailLength + eocd;
    long count = tail.getShort(eocd + 10) & 0xffff;
    long cdSize = tail.getInt(eocd + 12) & 0xffffffffL;
    long cdOffset = tail.getInt(eocd + 16) & 0xffffffffL;
    long cdEnd = eocdOffset;
    if (eocd >= 20 && tail.getInt(eocd - 20) == ZIP64_LOCATOR) {
      long zip64Offset = tail.getLong(eocd - 12);
      if (zip64Offset < 0 || zip64Offset > eocdOffset - 20 - 56) {
        throw Failures.corrupt(file, "the Zip64 end-of-central-directory record is said to be at byte "
            + zip64Offset + ", outside the file of " + fileSize + " bytes");
      }
      ByteBuffer z = FileRegion.readAt(channel, zip64Offset, 56);
      if (z.getInt(0) != ZIP64_EOCD) {
        throw Failures.corrupt(file, "no Zip64 end-of-central-directory record at byte " + zip64Offset);
      }
      count = z.getLong(32);
      cdSize = z.getLong(40);
      cdOffset = z.getLong(48);
      cdEnd = zip64Offset;
    }
    if (cdOffset < 0 || cdSize < 0 || cdSize > MAX_CENTRAL_DIRECTORY || cdOffset > cdEnd - cdSize) {
      throw Failures.truncated(file, "the zip central directory of " + cdSize + " bytes at byte " + cdOffset
          + " does not fit before its end record at byte " + cdEnd);
    }
    ByteBuffer cd = FileRegion.readAt(channel, cdOffset, (int) cdSize);
    Map<String, Entry> entries = new LinkedHashMap<>();
    int p = 0;
    for (long i = 0; i < count; i++) {
      Entry e = parseEntry(cd, p, file);
      if (entries.put(e.name(), e) != null) {
        throw Failures.corrupt(file, "the zip archive holds two entries named '" + e.name() + "'");
      }
      p += 46 + (cd.getShort(p + 28) & 0xffff) + (cd.getShort(p + 30) & 0xffff)
          + (cd.getShort(p + 32) & 0xffff);
    }
    return new ZipDirectory(file, fileSize, Collections.unmodifiableMap(entries));
  }

  private static Entry parseEntry(ByteBuffer cd, int p, String file) throws CheckpointFormatException {
    if (p > cd.limit() - 46 || cd.getInt(p) != CENTRAL_HEADER) {
      throw Failures.corrupt(file, "the zip central directory is damaged at its byte " + p);
    }
    int flags = cd.getShort(p + 8) & 0xffff;
    int method = cd.getShort(p + 10) & 0xffff;
    long compressed = cd.getInt(p + 20) & 0xffffffffL;
    long size = cd.getInt(p + 24) & 0xffffffffL;
    int nameLength = cd.getShort(p + 28) & 0xffff;
    int extraLength = cd.getShort(p + 30) & 0xffff;
    int commentLength = cd.getShort(p + 32) & 0xffff;
    long local = cd.getInt(p + 42) & 0xffffffffL;
    if (p + 46L + nameLength + extraLength + commentLength > cd.limit()) {
      throw Failures.corrupt(file, "the zip central directory is damaged at its byte " + p);
    }
    byte[] nameBytes = new byte[nameLength];
    cd.get(p + 46, nameBytes);
    String name = new String(nameBytes, StandardCharsets.UTF_8);
    // Zip64 extra field: the 64-bit values of those fields that hold 0xffffffff, in this order.
    for (int x = p + 46 + nameLength, end = x + extraLength; x + 4 <= end; ) {
      int id = cd.getShort(x) & 0xffff;
      int length = cd.getShort(x + 2) & 0xffff;
      int v = x + 4;
      if (v + length > end) {
        throw Failures.corrupt(file, "entry '" + name + "' has a damaged extra field");
      }
      if (id == 0x0001) {
        if (size == 0xffffffffL && v + 8 <= x + 4 + length) {
          size = cd.getLong(v);
          v += 8;
        }
        if (compressed == 0xffffffffL && v + 8 <= x + 4 + length) {
          compressed = cd.getLong(v);
          v += 8;
        }
        if (local == 0xffffffffL && v + 8 <= x + 4 + length) {
          local = cd.getLong(v);
        }
      }
      x += 4 + length;
    }
    if ((flags & 1) != 0 || (method != 0 && method != 8)) {
      throw Failures.unsupported(file, "zip entry '" + name + "' is encrypted or compressed with method "
          + method, "re-save the checkpoint with torch.save, which stores entries uncompressed");
    }
    return new Entry(name, method, compressed, size, local);
  }

  /** All entries, by name, in central-directory order. */
  Map<String, Entry> entries() {
    return entries;
  }

  /** Where an entry's content lies, from its local header; checks that it lies inside the file. */
  FileRegion region(FileChannel channel, Entry e) throws IOException, CheckpointFormatException {
    if (e.localHeaderOffset() < 0 || e.localHeaderOffset() > fileSize - 30) {
      throw Failures.truncated(file, "entry '" + e.name() + "' starts at byte " + e.localHeaderOffset()
          + ", file has " + fileSize + " bytes");
    }
    ByteBuffer local = FileRegion.readAt(channel, e.localHeaderOffset(), 30);
    if (local.getInt(0) != LOCAL_HEADER) {
      throw Failures.corrupt(file, "entry '" + e.name() + "' has no local header at byte "
          + e.localHeaderOffset());
    }
    long start = e.localHeaderOffset() + 30 + (local.getShort(26) & 0xffff) + (local.getShort(28) & 0xffff);
    if (e.compressedSize() < 0 || e.size() < 0 || start > fileSize - e.compressedSize()) {
      throw Failures.truncated(file, "entry '" + e.name() + "' ends at byte " + (start + e.compressedSize())
          + ", file has " + fileSize + " bytes");
    }
    boolean deflated = e.method() == 8;
    if (deflated ? e.size() / FileRegion.MAX_DEFLATE_RATIO > e.compressedSize()
        : e.size() != e.compressedSize()) {
      throw Failures.corrupt(file, "entry '" + e.name() + "' claims " + e.size() + " bytes of content in "
          + e.compressedSize() + " bytes");
    }
    return new FileRegion(start, e.compressedSize(), e.size(), deflated);
  }
}
