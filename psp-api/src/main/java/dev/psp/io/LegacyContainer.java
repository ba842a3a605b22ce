package dev.psp.io;

import dev.psp.CheckpointFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The legacy format of {@code torch.save} (before torch 1.6, or {@code
 * _use_new_zipfile_serialization=False}): five pickles in a row (magic number, protocol version,
 * sys_info, the data, the list of storage keys), then for each key in that list an int64 element
 * count followed by the storage's raw bytes.
 */
final class LegacyContainer {
  private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  private static final long PROTOCOL_VERSION = 1001;

  private LegacyContainer() {}

  static Contents read(FileChannel channel, long fileSize, String file)
      throws IOException, CheckpointFormatException {
    try (InputStream in = FileRegion.plain(0, fileSize).open(channel)) {
      ByteReader reader = new ByteReader(in, fileSize, "the file");
      Object magic = new Unpickler(reader, Unpickler.NO_PERSISTENT_IDS, file).load();
      if (!MAGIC.equals(magic)) {
        throw Failures.unsupported(file, "the file is a pickle but not a torch.save checkpoint (its first"
            + " value is " + Unpickler.describe(magic) + ", not torch's magic number)",
            "this reader only reads files written by torch.save");
      }
      Object protocol = new Unpickler(reader, Unpickler.NO_PERSISTENT_IDS, file).load();
      if (!Long.valueOf(PROTOCOL_VERSION).equals(protocol)) {
        throw Failures.unsupported(file, "legacy protocol version " + Unpickler.describe(protocol)
            + " (this reader knows " + PROTOCOL_VERSION + ")", "re-save the checkpoint with torch.save");
      }
      Object sysInfo = new Unpickler(reader, Unpickler.NO_PERSISTENT_IDS, file).load();
      if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
        throw Failures.bigEndian(file);
      }
      StorageTable table = new StorageTable();
      Object root = new Unpickler(reader, table, file).load();
      Object keys = new Unpickler(reader, Unpickler.NO_PERSISTENT_IDS, file).load();
      return new Contents(root, locateStorages(channel, fileSize, file, reader.position(), keys, table));
    }
  }

  /** Walks the storage records that follow the pickles, in the order of the key list. */
  private static Map<String, FileRegion> locateStorages(FileChannel channel, long fileSize, String file,
      long position, Object keys, StorageTable table) throws IOException, CheckpointFormatException {
    if (!(keys instanceof List<?> keyList)) {
      throw Failures.corrupt(file, "the storage key list is " + Unpickler.describe(keys));
    }
    Map<String, FileRegion> storages = new LinkedHashMap<>();
    for (Object k : keyList) {
      StorageRef s = table.storages().get(k);
      if (s == null || storages.containsKey(k)) {
        throw Failures.corrupt(file, "the storage key list names " + Unpickler.describe(k)
            + ", which the data does not use or which is listed twice");
      }
      if (position > fileSize - 8) {
        throw Failures.truncated(file, "storage '" + s.key() + "' should start at byte " + position
            + ", file has " + fileSize + " bytes");
      }
      long count = FileRegion.readAt(channel, position, 8).getLong();
      if (count != s.numel()) {
        throw Failures.corrupt(file, "storage '" + s.key() + "' at byte " + position + " holds " + count
            + " elements but the data declares " + s.numel());
      }
      long bytes = count * s.dtype().byteSize();
      if (position + 8 > fileSize - bytes) {
        throw Failures.truncated(file, "storage '" + s.key() + "' ends at byte " + (position + 8 + bytes)
            + ", file has " + fileSize + " bytes");
      }
      storages.put(s.key(), FileRegion.plain(position + 8, bytes));
      position += 8 + bytes;
    }
    Set<String> missing = new HashSet<>(table.storages().keySet());
    missing.removeAll(storages.keySet());
    if (!missing.isEmpty()) {
      throw Failures.corrupt(file, "the storages " + missing + " are used but missing from the key list");
    }
    return storages;
  }
}
