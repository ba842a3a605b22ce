package dev.psp.io;

import dev.psp.internal.Settings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads storages from the file, each once.
 *
 * <p>Stored (uncompressed) storages, which is every storage torch.save writes, are memory-mapped
 * read-only: a tensor is a view of the file's pages, the Java heap holds none of the weights, and
 * an engine copying them into its own memory is the only copy (loading the 1.2 GB 1024-px pSp
 * checkpoint on the pytorch engine peaked at 2.6 GB of anonymous memory with heap copies). The
 * mapping stays valid after the file is closed or deleted; the file must not be truncated or
 * rewritten in place while its tensors are in use (replace it by renaming, as the SDK's own
 * writer does). {@code -Dpsp.io.mmap=false} (or {@code PSP_IO_MMAP=false}) reads into the heap
 * instead, for example on Windows, where a mapped file cannot be deleted; a storage the file system
 * cannot map is read into the heap as well.
 *
 * <p>Read into the heap, consecutive stored storages are packed into shared arrays of up to
 * {@value #BATCH_BYTES} bytes: the G1 collector gives every large array whole heap regions, so one
 * array per storage can waste almost half the heap when storages are just over a region size (a
 * 512x512 float32 matrix is 1 MiB plus the array header). A tensor keeps its whole batch reachable.
 * Deflated storages, whose size is a claim until inflated, get arrays of their own.
 */
final class StorageLoader {
  static final int BATCH_BYTES = 32 << 20;

  /** The bytes of a loaded storage, little-endian, its first byte at index 0. */
  record Slice(ByteBuffer bytes) {}

  private final FileChannel channel;
  private final Map<String, FileRegion> regions;
  private final boolean map;
  private final Map<String, List<String>> batchOf = new HashMap<>();
  private final Map<String, Slice> loaded = new HashMap<>();
  private long totalBytes;

  /** @param regions every storage by key, in the order in which they are best read together */
  StorageLoader(FileChannel channel, Map<String, FileRegion> regions) {
    this(channel, regions, mapSetting());
  }

  /** {@code psp.io.mmap}: true (the default) or false. */
  static boolean mapSetting() {
    String v = Settings.get("io.mmap").orElse("true");
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("psp.io.mmap (or " + Settings.envName("io.mmap")
          + ") must be true or false, got '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  /** @param map whether stored storages are memory-mapped rather than read into the heap */
  StorageLoader(FileChannel channel, Map<String, FileRegion> regions, boolean map) {
    this.channel = channel;
    this.regions = regions;
    this.map = map;
    List<String> batch = null;
    long batchBytes = 0;
    for (Map.Entry<String, FileRegion> e : regions.entrySet()) {
      FileRegion region = e.getValue();
      if (batch == null || map || region.deflated() || batchBytes + region.size() > BATCH_BYTES) {
        batch = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(e.getKey());
      batchBytes += region.size();
      totalBytes += region.size();
      batchOf.put(e.getKey(), batch);
      if (region.deflated()) {
        batch = null;
      }
    }
  }

  /** The size of all storages together. */
  long totalBytes() {
    return totalBytes;
  }

  /** The bytes of the storage saved under {@code key}, reading its batch on first use. */
  Slice get(String key) throws IOException {
    Slice slice = loaded.get(key);
    if (slice == null) {
      load(batchOf.get(key));
      slice = loaded.get(key);
    }
    return slice;
  }

  private void load(List<String> batch) throws IOException {
    FileRegion first = regions.get(batch.get(0));
    if (first.deflated()) {
      loaded.put(batch.get(0), slice(ByteBuffer.wrap(first.read(channel))));
      return;
    }
    if (map) {
      // one storage per batch
      loaded.put(batch.get(0), slice(mapOrRead(first)));
      return;
    }
    long total = 0;
    for (String key : batch) {
      total += regions.get(key).size();
    }
    byte[] array = new byte[Math.toIntExact(total)];
    int start = 0;
    for (String key : batch) {
      FileRegion region = regions.get(key);
      region.readInto(channel, array, start);
      loaded.put(key, slice(ByteBuffer.wrap(array, start, (int) region.size())));
      start += (int) region.size();
    }
  }

  /** The region mapped, or read into the heap where the file system cannot map files. */
  private ByteBuffer mapOrRead(FileRegion region) throws IOException {
    if (region.size() == 0) {
      return ByteBuffer.allocate(0);
    }
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, region.offset(), region.size());
    } catch (UnsupportedOperationException | IOException e) {
      return ByteBuffer.wrap(region.read(channel));
    }
  }

  private static Slice slice(ByteBuffer b) {
    return new Slice(b.slice().order(ByteOrder.LITTLE_ENDIAN));
  }
}
