package dev.psp.io;

import dev.psp.CheckpointFormatException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the unpickled graph into the one users see: each {@link TensorRef} becomes a {@link
 * TensorData} read from the file, containers are copied so that they hold those.
 *
 * <p>Each storage is read once (by the {@link StorageLoader}) and each object resolved once,
 * whichever part of the graph is asked for first; shared and cyclic references stay shared. The walk
 * is iterative, so deep nesting cannot overflow the stack.
 */
final class GraphResolver {
  /**
   * Strided views are copied. Copies may not exceed the file's tensor data plus this allowance, so
   * that views which repeat elements (stride 0) or many views of one storage cannot exhaust memory.
   */
  private static final long COPY_ALLOWANCE = 64L << 20;

  private final String file;
  private final StorageLoader storages;
  private final Map<Object, Object> resolved = new IdentityHashMap<>();
  private final Deque<Object[]> unfilled = new ArrayDeque<>();
  private long copyBudget;

  GraphResolver(String file, StorageLoader storages) {
    this.file = file;
    this.storages = storages;
    this.copyBudget = storages.totalBytes() + COPY_ALLOWANCE;
  }

  /** The resolved form of a node of the unpickled graph. */
  Object resolve(Object raw) throws IOException, CheckpointFormatException {
    try {
      Object result = shallow(raw);
      while (!unfilled.isEmpty()) {
        Object[] pair = unfilled.pop();
        if (pair[0] instanceof Map<?, ?> from) {
          Map<Object, Object> to = cast(pair[1]);
          for (Map.Entry<?, ?> e : from.entrySet()) {
            to.put(e.getKey(), shallow(e.getValue()));
          }
        } else {
          List<Object> to = cast(pair[1]);
          for (Object element : (List<?>) pair[0]) {
            to.add(shallow(element));
          }
        }
      }
      return result;
    } catch (IOException | CheckpointFormatException | RuntimeException e) {
      // Containers copied so far may be half filled: forget them all, so no later call returns one.
      unfilled.clear();
      resolved.clear();
      copyBudget = storages.totalBytes() + COPY_ALLOWANCE;
      throw e;
    }
  }

  /** Resolves a leaf now; for a container, makes an empty copy and queues it to be filled. */
  private Object shallow(Object raw) throws IOException, CheckpointFormatException {
    if (raw == null || raw instanceof String || raw instanceof Long || raw instanceof Double
        || raw instanceof Boolean || raw instanceof BigInteger || raw instanceof byte[]) {
      return raw;
    }
    Object done = resolved.get(raw);
    if (done != null) {
      return done;
    }
    Object copy;
    if (raw instanceof TensorRef t) {
      copyBudget -= t.copyBytes();
      if (copyBudget < 0) {
        throw Failures.corrupt(file, "its tensors are views whose copies would need more memory than the"
            + " file's " + storages.totalBytes() + " bytes of tensor data (plus " + (COPY_ALLOWANCE >> 20)
            + " MiB)");
      }
      copy = t.materialise(storages.get(t.storage().key()));
    } else if (raw instanceof Map<?, ?> m) {
      copy = new LinkedHashMap<>(m.size() * 4 / 3 + 1);
      unfilled.push(new Object[] {raw, copy});
    } else if (raw instanceof List<?> l) {
      List<Object> elements = new ArrayList<>(l.size());
      copy = Unpickler.isTuple(l) ? Collections.unmodifiableList(elements) : elements;
      unfilled.push(new Object[] {raw, elements});
    } else {
      throw Failures.unsupported(file, "the pickle holds " + Unpickler.describe(raw)
          + " as a value, which this reader does not support", "save only tensors and plain Python values");
    }
    resolved.put(raw, copy);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }
}
