package dev.psp.serve;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * A bound on the decoded photos that wait for alignment. An align job holds its photo's pixels (3
 * bytes each) until the inference thread has run it, and a full queue of the largest photos allowed
 * would hold gigabytes; here the waiting and running photos together may hold at most {@code
 * capacity} pixels, and a photo that does not fit is refused with 503 and {@code Retry-After}.
 */
final class AlignBacklog {
  /** Photos of the largest allowed size that may wait at once. */
  static final int PHOTOS = 4;
  private final long capacity;
  private final Semaphore pixels;
  private final ServerMetrics metrics;

  /** Room for {@value #PHOTOS} photos of {@code maxPixels} pixels; refusals count as {@code align_backlog}. */
  AlignBacklog(long maxPixels, ServerMetrics metrics) {
    this.capacity = Math.min(Integer.MAX_VALUE, PHOTOS * Math.max(1, maxPixels));
    this.pixels = new Semaphore((int) capacity);
    this.metrics = metrics;
  }

  /**
   * Queues a job for a photo of {@code photoPixels} pixels when they fit, and gives them back when it
   * completes (or fails to queue).
   *
   * @throws ApiException 503 {@code align-backlog} when the photos already waiting leave too little room
   */
  <T> CompletableFuture<T> submit(long photoPixels, Supplier<CompletableFuture<T>> submit) {
    int need = (int) Math.min(capacity, Math.max(1, photoPixels));
    if (!pixels.tryAcquire(need)) {
      metrics.rejected("align_backlog");
      throw ApiException.unavailable("align-backlog", "Too many photos waiting to be aligned",
          String.format(java.util.Locale.ROOT, "photos waiting to be aligned hold %.1f of the %.1f million pixels"
              + " this server keeps for them, and this one has %.1f million: retry later, or send smaller photos",
              (capacity - pixels.availablePermits()) / 1e6, capacity / 1e6, photoPixels / 1e6), 1);
    }
    CompletableFuture<T> pending;
    try {
      pending = submit.get();
    } catch (RuntimeException | Error e) {
      pixels.release(need);
      throw e;
    }
    return pending.whenComplete((result, failure) -> pixels.release(need));
  }
}
