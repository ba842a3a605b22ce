package dev.psp.serve;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one inference thread of a server and the bounded queue in front of it, with dynamic batching.
 *
 * <p>Every piece of model work (loading, encode, decode, translate, mix, interpolate, align) runs on
 * this thread, one at a time: libtorch's OpenMP threads spin while they wait, so two threads running
 * models on a 2-core machine are many times slower than one. Work that shares a {@link BatchKey} (the
 * same model, operation and options) is batched: the worker takes the oldest waiting job and, until the
 * batching window after that job's arrival has passed or the batch is full, adds every waiting job with
 * the same key, in arrival order. Jobs of other keys keep their places.
 *
 * <p>At most {@code capacity} jobs wait; one more is refused with a 503 problem and a {@code Retry-After}
 * estimated from the recent cost of a job. A job that waits and runs longer than the request timeout
 * fails with a {@link java.util.concurrent.TimeoutException} and is skipped if it has not started.
 * Futures complete on the inference thread: callers continue with {@code *Async} methods on an executor
 * of their own so that no response is written here. Thread-safe.
 */
final class InferenceQueue implements AutoCloseable {
  /** Work that runs alone. */
  interface Work<T> {
    T run() throws Exception;
  }

  /** Work on a batch: one output per input, in the order of the inputs. */
  interface BatchWork<I, O> {
    List<O> run(List<I> inputs) throws Exception;
  }

  /**
   * What the jobs of one batch share.
   *
   * @param model the served model's name
   * @param operation e.g. {@code translate}
   * @param options what else must be equal (output size, noise), compared with {@code equals}
   */
  record BatchKey(String model, String operation, Object options) {}

  /**
   * A result and the batch it was computed in.
   *
   * @param value the job's own output
   * @param batchId the batch's number, counted from 1 by this queue
   * @param index the job's place in the batch
   * @param size how many jobs the batch held
   */
  record Batched<O>(O value, long batchId, int index, int size) {}

  /** One piece of work waiting for the thread. */
  private static final class Job {
    final String operation;
    final BatchKey key;
    final Object input;
    final BatchWork<Object, Object> work;
    final CompletableFuture<Object> result = new CompletableFuture<>();
    final long enqueued = System.nanoTime();

    Job(String operation, BatchKey key, Object input, BatchWork<Object, Object> work) {
      this.operation = operation;
      this.key = key;
      this.input = input;
      this.work = work;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final int capacity;
  private final int maxBatch;
  private final long windowNanos;
  private final Duration timeout;
  private final ServerMetrics metrics;
  private final Thread worker;
  private final AtomicLong batchIds = new AtomicLong();
  /** Recent cost of one job in nanoseconds (exponential moving average), for Retry-After. */
  private volatile double jobNanos = 200e6;
  private boolean accepting = true;
  private boolean stopping;
  private Runnable last = () -> { };

  /**
   * A queue whose thread is started at once.
   *
   * @param maxBatch the largest batch; 1 turns batching off
   * @param window how long the oldest job of a batch waits for more after its arrival
   */
  InferenceQueue(int capacity, int maxBatch, Duration window, Duration timeout, ServerMetrics metrics) {
    this.capacity = capacity;
    this.maxBatch = maxBatch;
    this.windowNanos = window.toNanos();
    this.timeout = timeout;
    this.metrics = metrics;
    this.worker = new Thread(this::work, "psp-inference");
    worker.setDaemon(true);
    metrics.queueDepth(this::depth);
    worker.start();
  }

  /**
   * Queues work that runs alone.
   *
   * @param operation names the work in metrics
   * @throws ApiException 503 when the queue is full or shutting down
   */
  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> submit(String operation, Work<T> work) {
    Job job = new Job(operation, null, null, inputs -> List.of(nonNull(work.run())));
    enqueue(job, false);
    return (CompletableFuture<T>) job.result;
  }

  /**
   * Queues one input of work that may run in a batch with others of the same key. The batch runs
   * with the {@code work} of its oldest job.
   *
   * @throws ApiException 503 when the queue is full or shutting down
   */
  @SuppressWarnings("unchecked")
  <I, O> CompletableFuture<Batched<O>> submit(BatchKey key, I input, BatchWork<I, O> work) {
    BatchWork<Object, Object> w = inputs -> (List<Object>) work.run((List<I>) inputs);
    Job job = new Job(key.operation(), key, input, w);
    enqueue(job, false);
    return (CompletableFuture<Batched<O>>) (CompletableFuture<?>) job.result;
  }

  /** Queues the server's own work (loading): never refused for capacity, never timed out. */
  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> submitInternal(String operation, Work<T> work) {
    Job job = new Job(operation, null, null, inputs -> List.of(nonNull(work.run())));
    enqueue(job, true);
    return (CompletableFuture<T>) job.result;
  }

  private static Object nonNull(Object o) {
    return o == null ? Boolean.TRUE : o;
  }

  /**
   * Refuses a request now, before its upload is read, when the queue could not take it: a request
   * that would be answered 503 must not first buffer and decode its body.
   *
   * @throws ApiException 503 when the queue is full or shutting down
   */
  void checkRoom() {
    lock.lock();
    try {
      checkRoomLocked(false);
    } finally {
      lock.unlock();
    }
  }

  /** Refuses when shutting down, and work other than the server's own when the queue is full. */
  private void checkRoomLocked(boolean internal) {
    if (!accepting) {
      throw ApiException.unavailable("shutting-down", "Shutting down", "the server is shutting down", 5);
    }
    if (!internal && waiting.size() >= capacity) {
      waiting.removeIf(j -> j.result.isDone());
      if (waiting.size() >= capacity) {
        metrics.rejected("queue_full");
        long retry = retryAfterSeconds();
        throw ApiException.unavailable("queue-full", "Queue full", "the inference queue is full (" + capacity
            + " requests waiting); retry after " + retry + " s", retry);
      }
    }
  }

  private void enqueue(Job job, boolean internal) {
    lock.lock();
    try {
      checkRoomLocked(internal);
      waiting.add(job);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (!internal) {
      job.result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Jobs waiting (not the one running), without those already answered (timed out while waiting). */
  int depth() {
    lock.lock();
    try {
      return live();
    } finally {
      lock.unlock();
    }
  }

  private int live() {
    int n = 0;
    for (Job j : waiting) {
      if (!j.result.isDone()) {
        n++;
      }
    }
    return n;
  }

  /** The capacity. */
  int capacity() {
    return capacity;
  }

  /** Seconds until the queue has likely drained: its depth times the recent cost of a job, 1 to 60. */
  long retryAfterSeconds() {
    double seconds = (live() + 1) * jobNanos / 1e9;
    return Math.max(1, Math.min(60, (long) Math.ceil(seconds)));
  }

  private void work() {
    while (true) {
      List<Job> batch;
      try {
        batch = next();
      } catch (InterruptedException e) {
        break;
      }
      if (batch == null) {
        break;
      }
      execute(batch);
    }
    try {
      last.run();
    } catch (RuntimeException e) {
      System.getLogger(InferenceQueue.class.getName()).log(System.Logger.Level.WARNING,
          "closing the models failed: " + e.getMessage(), e);
    }
  }

  /** The next batch (one job for work that runs alone); null when stopping and nothing waits. */
  private List<Job> next() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        while (waiting.isEmpty()) {
          if (stopping) {
            return null;
          }
          changed.await();
        }
        Job first = waiting.poll();
        if (first.result.isDone()) {
          continue; // timed out while waiting
        }
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        if (first.key != null && maxBatch > 1) {
          long deadline = first.enqueued + windowNanos;
          while (true) {
            collect(first.key, batch);
            long left = deadline - System.nanoTime();
            if (batch.size() >= maxBatch || stopping || left <= 0) {
              break;
            }
            changed.awaitNanos(left);
          }
        }
        return batch;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Moves waiting jobs of {@code key} into {@code batch}, oldest first, until it is full. */
  private void collect(BatchKey key, List<Job> batch) {
    Iterator<Job> it = waiting.iterator();
    while (it.hasNext() && batch.size() < maxBatch) {
      Job j = it.next();
      if (key.equals(j.key)) {
        it.remove();
        if (!j.result.isDone()) {
          batch.add(j);
        }
      }
    }
  }

  private void execute(List<Job> batch) {
    Job first = batch.get(0);
    List<Object> inputs = new ArrayList<>();
    for (Job j : batch) {
      inputs.add(j.input);
    }
    long start = System.nanoTime();
    List<Object> out;
    try {
      out = first.work.run(inputs);
      if (out.size() != inputs.size()) {
        throw new IllegalStateException(first.operation + " gave " + out.size() + " results for " + inputs.size() + " inputs");
      }
    } catch (Throwable e) {
      if (batch.size() > 1) {
        for (Job j : batch) { // one bad input must not fail the others: run each alone
          execute(List.of(j));
        }
      } else {
        first.result.completeExceptionally(e);
      }
      return;
    }
    long nanos = System.nanoTime() - start;
    jobNanos = 0.8 * jobNanos + 0.2 * ((double) nanos / batch.size());
    metrics.inference(first.operation, nanos);
    if (first.key != null) {
      metrics.batch(first.operation, batch.size());
    }
    long id = first.key == null ? 0 : batchIds.incrementAndGet();
    for (int i = 0; i < batch.size(); i++) {
      Job j = batch.get(i);
      j.result.complete(j.key == null ? out.get(i) : new Batched<>(out.get(i), id, i, batch.size()));
    }
  }

  /**
   * Stops taking work: jobs still waiting fail with a 503 problem, the job running finishes, then
   * {@code finalAction} runs on the inference thread (closing the models there) and the thread ends.
   */
  void shutdown(Runnable finalAction) {
    List<Job> dropped;
    lock.lock();
    try {
      if (stopping) {
        return;
      }
      accepting = false;
      stopping = true;
      last = finalAction;
      dropped = new ArrayList<>(waiting);
      waiting.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Job j : dropped) {
      j.result.completeExceptionally(ApiException.unavailable("shutting-down", "Shutting down",
          "the server is shutting down", 5));
    }
  }

  /** Waits for the inference thread to end; false if it still runs after {@code wait}. */
  boolean awaitTermination(Duration wait) throws InterruptedException {
    worker.join(Math.max(1, wait.toMillis()));
    return !worker.isAlive();
  }

  /** {@link #shutdown} without a final action, then waits up to a minute for the thread. */
  @Override
  public void close() {
    shutdown(() -> { });
    try {
      awaitTermination(Duration.ofMinutes(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
