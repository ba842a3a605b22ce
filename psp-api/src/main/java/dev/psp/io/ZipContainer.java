package dev.psp.io;

import dev.psp.CheckpointFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The zip format of {@code torch.save} (torch 1.6 and later): {@code <top>/data.pkl} holds the
 * pickle and {@code <top>/data/<key>} the raw little-endian bytes of each storage. The top folder's
 * name varies (the file's stem, {@code archive}, ...); {@code version} and {@code .data/} are ignored.
 */
final class ZipContainer {
  private ZipContainer() {}

  static Contents read(FileChannel channel, long fileSize, String file)
      throws IOException, CheckpointFormatException {
    ZipDirectory zip = ZipDirectory.read(channel, fileSize, file);
    String top = topFolder(zip, file);
    checkByteOrder(zip, channel, top, file);
    ZipDirectory.Entry pickle = zip.entries().get(top + "data.pkl");
    FileRegion region = zip.region(channel, pickle);
    StorageTable table = new StorageTable();
    Object root;
    try (InputStream in = region.open(channel)) {
      root = new Unpickler(new ByteReader(in, region.size(), top + "data.pkl"), table, file).load();
    }
    Map<String, FileRegion> storages = new LinkedHashMap<>();
    for (StorageRef s : table.storages().values()) {
      String name = top + "data/" + s.key();
      ZipDirectory.Entry entry = zip.entries().get(name);
      if (entry == null) {
        throw Failures.corrupt(file, "data.pkl uses storage '" + s.key() + "' but the archive has no entry '"
            + name + "'");
      }
      long bytes = s.numel() * s.dtype().byteSize();
      FileRegion stored = zip.region(channel, entry);
      if (stored.size() < bytes) {
        throw Failures.corrupt(file, "entry '" + name + "' holds " + stored.size() + " bytes but data.pkl"
            + " declares " + s.numel() + " " + s.dtype() + " elements (" + bytes + " bytes)");
      }
      storages.put(s.key(), stored.prefix(bytes));
    }
    return new Contents(root, storages);
  }

  /** The folder {@code X/} that holds {@code X/data.pkl}; there must be exactly one. */
  private static String topFolder(ZipDirectory zip, String file) throws CheckpointFormatException {
    List<String> tops = new ArrayList<>();
    for (String name : zip.entries().keySet()) {
      int slash = name.indexOf('/');
      if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
        tops.add(name.substring(0, slash + 1));
      }
    }
    if (tops.size() == 1) {
      return tops.get(0);
    }
    List<String> names = new ArrayList<>(zip.entries().keySet());
    String listed = String.join(", ", names.subList(0, Math.min(5, names.size())))
        + (names.size() > 5 ? ", ..." : "");
    if (tops.isEmpty()) {
      throw Failures.unsupported(file, "the zip archive has no '<folder>/data.pkl' entry, so it is not a"
          + " torch.save checkpoint (entries: " + listed + ")", "a TorchScript model (torch.jit.save) or other"
          + " archive cannot be read; load it in Python and save the model's state_dict with torch.save");
    }
    throw Failures.corrupt(file, "the zip archive has " + tops.size() + " data.pkl entries: " + tops);
  }

  /** Refuses big-endian data, which newer torch versions mark in {@code <top>/byteorder}. */
  private static void checkByteOrder(ZipDirectory zip, FileChannel channel, String top, String file)
      throws IOException, CheckpointFormatException {
    ZipDirectory.Entry entry = zip.entries().get(top + "byteorder");
    if (entry == null) {
      return;
    }
    if (entry.size() > 16) {
      throw Failures.corrupt(file, "the byteorder entry has " + entry.size() + " bytes");
    }
    String order = new String(zip.region(channel, entry).read(channel), StandardCharsets.US_ASCII).trim();
    if (order.equals("big")) {
      throw Failures.bigEndian(file);
    }
    if (!order.equals("little")) {
      throw Failures.corrupt(file, "the byteorder entry says '" + order + "' instead of 'little' or 'big'");
    }
  }
}
