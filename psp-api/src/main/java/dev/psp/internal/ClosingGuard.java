package dev.psp.internal;

import dev.psp.OutputSize;
import dev.psp.io.TensorData;
import dev.psp.spi.EngineModel;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * An engine model that may be closed while other threads use it. Calls share a read lock and run
 * concurrently; {@link #close()} takes the write lock, so it waits for the calls in flight and frees
 * the native memory only when none uses it. A call after that fails with {@link
 * IllegalStateException} naming the model, never with a native crash on freed memory.
 */
public final class ClosingGuard implements EngineModel {
  private final EngineModel model;
  private final String name;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lock

  /**
   * @param model the engine model to guard
   * @param name names the model in the error after close, e.g. its file
   */
  public ClosingGuard(EngineModel model, String name) {
    this.model = model;
    this.name = name;
  }

  private <T> T call(Supplier<T> body) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("this PspModel (" + name + ") is closed");
      }
      return body.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public TensorData encode(TensorData input) {
    return call(() -> model.encode(input));
  }

  @Override
  public TensorData decode(TensorData codes, List<TensorData> noise, OutputSize size) {
    return call(() -> model.decode(codes, noise, size));
  }

  @Override
  public TensorData mapping(TensorData z) {
    return call(() -> model.mapping(z));
  }

  /** True once {@link #close()} has begun. */
  public boolean isClosed() {
    lock.readLock().lock();
    try {
      return closed;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Waits for the calls in flight, then frees the model. Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        model.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
