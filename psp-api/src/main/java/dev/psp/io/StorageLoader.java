package dev.psp.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads storages from the file, each once, in one of three ways ({@code psp.io.storage}):
 *
 * <ul>
 *   <li>{@code direct} (the default): each stored storage is read into its own direct (off-heap)
 *       buffer. The Java heap holds none of the weights, no page of the file stays mapped (so a file
 *       rewritten in place later cannot affect or crash the process), and an engine may use the
 *       buffer as its own memory instead of copying it: the pytorch engine does, so a 1.2 GB
 *       checkpoint costs 1.2 GB, not 2.4 GB. Direct buffers count against {@code
 *       -XX:MaxDirectMemorySize} (by default the maximum heap size); a storage that does not fit is
 *       memory-mapped instead, with one log line;
 *   <li>{@code mmap}: stored storages are memory-mapped read-only; a tensor is a view of the file's
 *       pages. The file must not be truncated or rewritten in place while its tensors are in use;
 *   <li>{@code heap}: read into Java arrays (for example on Windows, where a mapped file cannot be
 *       deleted), consecutive storages packed into shared arrays of up to {@value #BATCH_BYTES}
 *       bytes: the G1 collector gives every large array whole heap regions, so one array per storage
 *       can waste almost half the heap when storages are just over a region size.
 * </ul>
 *
 * <p>{@code psp.io.mmap=true|false} (the setting before {@code psp.io.storage}) still selects {@code
 * mmap} or {@code heap}. Deflated storages, whose size is a claim until inflated, get heap arrays of
 * their own in every mode; a storage the file system cannot map is read into the heap.
 */
final class StorageLoader {
  static final int BATCH_BYTES = 32 << 20;

  /** The bytes of a loaded storage, little-endian, its first byte at index 0; mapped when they are file pages. */
  record Slice(ByteBuffer bytes, boolean mapped) {}

  private static final System.Logger LOG = System.getLogger(StorageLoader.class.getName());

  private final FileChannel channel;
  private final Map<String, FileRegion> regions;
  private final StorageMode mode;
  private final Map<String, List<String>> batchOf = new HashMap<>();
  private final Map<String, Slice> loaded = new HashMap<>();
  private long totalBytes;

  /** @param mode how stored storages are read */
  StorageLoader(FileChannel channel, Map<String, FileRegion> regions, StorageMode mode) {
    this.channel = channel;
    this.regions = regions;
    this.mode = mode;
    List<String> batch = null;
    long batchBytes = 0;
    for (Map.Entry<String, FileRegion> e : regions.entrySet()) {
      FileRegion region = e.getValue();
      if (batch == null || mode != StorageMode.HEAP || region.deflated() || batchBytes + region.size() > BATCH_BYTES) {
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
      loaded.put(batch.get(0), slice(ByteBuffer.wrap(first.read(channel)), false));
      return;
    }
    if (mode == StorageMode.DIRECT) {
      // one storage per batch
      loaded.put(batch.get(0), direct(first));
      return;
    }
    if (mode == StorageMode.MMAP) {
      // one storage per batch
      loaded.put(batch.get(0), mapOrRead(first));
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
      loaded.put(key, slice(ByteBuffer.wrap(array, start, (int) region.size()), false));
      start += (int) region.size();
    }
  }

  private boolean directMemoryFull;

  /**
   * The region in a direct buffer of its own; mapped once the direct memory limit was reached (after
   * the first refusal every later storage of this file is mapped at once: each refusal costs the JDK
   * a full garbage collection).
   */
  private Slice direct(FileRegion region) throws IOException {
    if (region.size() == 0) {
      return slice(ByteBuffer.allocate(0), false);
    }
    if (directMemoryFull) {
      return mapOrRead(region);
    }
    try {
      return slice(region.readDirect(channel), false);
    } catch (OutOfMemoryError e) {
      directMemoryFull = true;
      LOG.log(System.Logger.Level.INFO, "the checkpoint does not fit in direct memory (" + e.getMessage()
          + "); its remaining storages are memory-mapped. Raise -XX:MaxDirectMemorySize to avoid this");
      return mapOrRead(region);
    }
  }

  /** The region mapped, or read into the heap where the file system cannot map files. */
  private Slice mapOrRead(FileRegion region) throws IOException {
    if (region.size() == 0) {
      return slice(ByteBuffer.allocate(0), false);
    }
    try {
      return slice(channel.map(FileChannel.MapMode.READ_ONLY, region.offset(), region.size()), true);
    } catch (UnsupportedOperationException | IOException e) {
      return slice(ByteBuffer.wrap(region.read(channel)), false);
    }
  }

  private static Slice slice(ByteBuffer b, boolean mapped) {
    return new Slice(b.slice().order(ByteOrder.LITTLE_ENDIAN), mapped);
  }
}
