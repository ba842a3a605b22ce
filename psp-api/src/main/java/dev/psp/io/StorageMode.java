package dev.psp.io;

import dev.psp.internal.Settings;
import java.util.Locale;
import java.util.Optional;

/**
 * How a checkpoint's tensor data is read into memory ({@code psp.io.storage}, see {@link
 * CheckpointReader#read(java.nio.file.Path, StorageMode)}).
 */
public enum StorageMode {
  /**
   * Each stored storage in a direct (off-heap) buffer of its own: no page of the file stays mapped,
   * and engines may use the buffers as their own memory. The default.
   */
  DIRECT,
  /**
   * Stored storages memory-mapped read-only: a tensor is a view of the file's pages, which costs
   * nothing until read; the file must not be truncated or rewritten in place while in use.
   */
  MMAP,
  /** Java arrays, neighbouring storages packed together (for file systems that cannot map files). */
  HEAP;

  /** {@code psp.io.storage} ({@code direct}, {@code mmap} or {@code heap}), else {@code psp.io.mmap}, else {@link #DIRECT}. */
  public static StorageMode fromSettings() {
    Optional<String> storage = Settings.get("io.storage");
    if (storage.isPresent()) {
      try {
        return valueOf(storage.get().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("psp.io.storage (or " + Settings.envName("io.storage")
            + ") must be direct, mmap or heap, got '" + storage.get() + "'");
      }
    }
    Optional<String> mmap = Settings.get("io.mmap");
    if (mmap.isEmpty()) {
      return DIRECT;
    }
    String v = mmap.get();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("psp.io.mmap (or " + Settings.envName("io.mmap")
          + ") must be true or false, got '" + v + "'");
    }
    return Boolean.parseBoolean(v) ? MMAP : HEAP;
  }
}
