package dev.psp.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The queue without models: batching by key and window, the batch limit, capacity, timeouts, failures, shutdown. */
class InferenceQueueTest {
  private static final InferenceQueue.BatchKey A = new InferenceQueue.BatchKey("m", "double", "a");
  private static final InferenceQueue.BatchKey B = new InferenceQueue.BatchKey("m", "double", "b");

  private static InferenceQueue queue(int capacity, int maxBatch, Duration window, Duration timeout) {
    return new InferenceQueue(capacity, maxBatch, window, timeout, new ServerMetrics(maxBatch));
  }

  /** Doubles each input and remembers the batch sizes. */
  private static final class Doubler implements InferenceQueue.BatchWork<Integer, Integer> {
    final List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public List<Integer> run(List<Integer> inputs) {
      sizes.add(inputs.size());
      List<Integer> out = new ArrayList<>();
      for (int i : inputs) {
        if (i < 0) {
          throw new IllegalArgumentException("negative input " + i);
        }
        out.add(2 * i);
      }
      return out;
    }
  }

  /** Blocks the inference thread until the returned latch is counted down. */
  private static CountDownLatch block(InferenceQueue q) throws InterruptedException {
    CountDownLatch gate = new CountDownLatch(1);
    q.submitInternal("block", () -> gate.await(30, TimeUnit.SECONDS));
    PspServerTest.await(() -> q.depth() == 0, "the blocker to run");
    return gate;
  }

  @Test
  void waitingJobsOfOneKeyRunAsBatchesOfAtMostMaxBatchAndKeepTheirOrder() throws Exception {
    try (InferenceQueue q = queue(64, 4, Duration.ofMillis(5), Duration.ofSeconds(30))) {
      Doubler work = new Doubler();
      CountDownLatch gate = block(q);
      List<CompletableFuture<InferenceQueue.Batched<Integer>>> a = new ArrayList<>();
      List<CompletableFuture<InferenceQueue.Batched<Integer>>> b = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        a.add(q.submit(A, i, work));
        b.add(q.submit(B, 100 + i, work));
      }
      gate.countDown();
      for (int i = 0; i < 6; i++) {
        InferenceQueue.Batched<Integer> r = a.get(i).get(10, TimeUnit.SECONDS);
        assertThat(r.value()).isEqualTo(2 * i);
        assertThat(r.index()).isEqualTo(i % 4);
        assertThat(b.get(i).get(10, TimeUnit.SECONDS).value()).isEqualTo(200 + 2 * i);
      }
      assertThat(work.sizes).containsExactly(4, 4, 2, 2); // A's first batch, B's, then the rests
      assertThat(a.get(0).get().batchId()).isNotEqualTo(b.get(0).get().batchId());
    }
  }

  @Test
  void theFirstJobWaitsTheWindowForOthers() throws Exception {
    try (InferenceQueue q = queue(64, 8, Duration.ofMillis(300), Duration.ofSeconds(30))) {
      Doubler work = new Doubler();
      CompletableFuture<InferenceQueue.Batched<Integer>> first = q.submit(A, 1, work);
      Thread.sleep(50);
      CompletableFuture<InferenceQueue.Batched<Integer>> second = q.submit(A, 2, work);
      assertThat(first.get(10, TimeUnit.SECONDS).size()).isEqualTo(2);
      assertThat(second.get().value()).isEqualTo(4);
      assertThat(work.sizes).containsExactly(2);
    }
  }

  @Test
  void aBatchOfOneTurnsBatchingOff() throws Exception {
    try (InferenceQueue q = queue(64, 1, Duration.ofMillis(300), Duration.ofSeconds(30))) {
      Doubler work = new Doubler();
      CountDownLatch gate = block(q);
      CompletableFuture<InferenceQueue.Batched<Integer>> x = q.submit(A, 1, work);
      CompletableFuture<InferenceQueue.Batched<Integer>> y = q.submit(A, 2, work);
      gate.countDown();
      assertThat(x.get(10, TimeUnit.SECONDS).size()).isEqualTo(1);
      assertThat(y.get(10, TimeUnit.SECONDS).size()).isEqualTo(1);
      assertThat(work.sizes).containsExactly(1, 1);
    }
  }

  @Test
  void aFullQueueRefusesWith503AndRetryAfter() throws Exception {
    try (InferenceQueue q = queue(2, 8, Duration.ZERO, Duration.ofSeconds(30))) {
      CountDownLatch gate = block(q);
      q.submit("x", () -> 1);
      q.submit("x", () -> 2);
      assertThatThrownBy(() -> q.submit("x", () -> 3)).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.problem().status()).isEqualTo(503);
        assertThat(e.problem().slug()).isEqualTo("queue-full");
        assertThat(e.headers()).containsKey("Retry-After");
      });
      gate.countDown();
    }
  }

  @Test
  void aTimedOutJobFailsAndNeverRuns() throws Exception {
    try (InferenceQueue q = queue(8, 8, Duration.ZERO, Duration.ofMillis(200))) {
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch gate = block(q);
      CompletableFuture<Integer> late = q.submit("x", runs::incrementAndGet);
      assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TimeoutException.class);
      assertThat(q.depth()).as("an answered job no longer counts as waiting").isZero();
      gate.countDown();
      assertThat(q.submit("x", () -> "after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
      assertThat(runs).hasValue(0);
    }
  }

  @Test
  void oneBadInputDoesNotFailTheOthersOfItsBatch() throws Exception {
    try (InferenceQueue q = queue(8, 8, Duration.ofMillis(5), Duration.ofSeconds(30))) {
      Doubler work = new Doubler();
      CountDownLatch gate = block(q);
      CompletableFuture<InferenceQueue.Batched<Integer>> good = q.submit(A, 3, work);
      CompletableFuture<InferenceQueue.Batched<Integer>> bad = q.submit(A, -1, work);
      gate.countDown();
      assertThat(good.get(10, TimeUnit.SECONDS).value()).isEqualTo(6);
      assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("negative input -1");
    }
  }

  @Test
  void shutdownFailsWaitingJobsRunsTheFinalActionOnTheInferenceThreadAndRefusesNewWork() throws Exception {
    InferenceQueue q = queue(8, 8, Duration.ZERO, Duration.ofSeconds(30));
    CountDownLatch gate = block(q);
    CompletableFuture<Integer> waiting = q.submit("x", () -> 1);
    List<String> finalThread = new java.util.concurrent.CopyOnWriteArrayList<>();
    q.shutdown(() -> finalThread.add(Thread.currentThread().getName()));
    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ApiException.class)
        .hasMessageContaining("shutting down");
    assertThatThrownBy(() -> q.submit("x", () -> 2)).isInstanceOf(ApiException.class);
    gate.countDown();
    assertThat(q.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(finalThread).containsExactly("psp-inference");
  }
}
