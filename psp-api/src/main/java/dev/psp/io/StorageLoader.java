package dev.psp.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads storages from the file, each once, packing consecutive stored ones into shared arrays of
 * up to {@value #BATCH_BYTES} bytes.
 *
 * <p>Batching keeps heap use close to the data size: the G1 collector gives every large array whole
 * heap regions, so one array per storage can waste almost half the heap when storages are just over
 * a region size (a 512x512 float32 matrix is 1 MiB plus the array header). A tensor keeps its whole
 * batch reachable. Deflated storages, whose size is a claim until inflated, get arrays of their own.
 */
final class StorageLoader {
  static final int BATCH_BYTES = 32 << 20;

  /** Where a storage's first byte lies once it is loaded. */
  record Slice(byte[] array, int start) {}

  private final FileChannel channel;
  private final Map<String, FileRegion> regions;
  private final Map<String, List<String>> batchOf = new HashMap<>();
  private final Map<String, Slice> loaded = new HashMap<>();
  private long totalBytes;

  /** @param regions every storage by key, in the order in which they are best read together */
  StorageLoader(FileChannel channel, Map<String, FileRegion> regions) {
    this.channel = channel;
    this.regions = regions;
    List<String> batch = null;
    long batchBytes = 0;
    for (Map.Entry<String, FileRegion> e : regions.entrySet()) {
      FileRegion region = e.getValue();
      if (batch == null || region.deflated() || batchBytes + region.size() > BATCH_BYTES) {
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
      loaded.put(batch.get(0), new Slice(first.read(channel), 0));
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
      loaded.put(key, new Slice(array, start));
      start += (int) region.size();
    }
  }
}
