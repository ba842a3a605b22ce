package dev.psp.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves torch's persistent ids {@code ('storage', storage_type, key, location, numel)} (the legacy
 * format adds a sixth element, {@code view_metadata}) and records every storage they declare, so the
 * container can check that each one is present in the file and large enough.
 *
 * <p>The location (such as {@code 'cuda:0'}) is ignored: everything is read to the host.
 */
final class StorageTable implements Unpickler.PersistentLoader {
  private final Map<String, StorageRef> storages = new LinkedHashMap<>();

  @Override
  public Object load(Object pid) throws PickleException {
    if (!Unpickler.isTuple(pid) || ((List<?>) pid).size() < 5 || ((List<?>) pid).size() > 6
        || !"storage".equals(((List<?>) pid).get(0))) {
      throw new PickleException("a persistent id " + Unpickler.describe(pid)
          + " that is not ('storage', type, key, location, numel)");
    }
    List<?> id = (List<?>) pid;
    if (!(id.get(1) instanceof DType dtype) || !(id.get(2) instanceof String key)
        || !(id.get(4) instanceof Long numel) || numel < 0) {
      throw new PickleException("a storage id with type " + Unpickler.describe(id.get(1)) + ", key "
          + Unpickler.describe(id.get(2)) + " and numel " + Unpickler.describe(id.get(4)));
    }
    if (numel > (Integer.MAX_VALUE - 8) / dtype.byteSize()) {
      throw new PickleException("storage '" + key + "' of " + numel + " " + dtype
          + " elements, over the 2 GiB this reader can hold in one storage");
    }
    StorageRef storage = new StorageRef(key, dtype, 0, numel);
    StorageRef known = storages.putIfAbsent(key, storage);
    if (known != null && !known.equals(storage)) {
      throw new PickleException("storage '" + key + "' declared both as " + known.numel() + " "
          + known.dtype() + " and as " + numel + " " + dtype + " elements");
    }
    Object view = id.size() == 6 ? id.get(5) : null;
    return view == null ? storage : view(storage, view);
  }

  /** The legacy {@code (view_key, offset, view_size)}: a slice of the storage, in elements. */
  private static StorageRef view(StorageRef root, Object view) throws PickleException {
    if (Unpickler.isTuple(view) && ((List<?>) view).size() == 3
        && ((List<?>) view).get(1) instanceof Long offset && ((List<?>) view).get(2) instanceof Long size
        && offset >= 0 && size >= 0 && offset <= root.numel() - size) {
      return new StorageRef(root.key(), root.dtype(), offset, size);
    }
    throw new PickleException("a view " + Unpickler.describe(view) + " of storage '" + root.key()
        + "', which holds " + root.numel() + " elements");
  }

  /** Every storage named so far, by key, in order of first use; each with offset 0 and its full size. */
  Map<String, StorageRef> storages() {
    return Collections.unmodifiableMap(storages);
  }
}
