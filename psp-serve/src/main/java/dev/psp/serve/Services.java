package dev.psp.serve;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * What the route handlers of one server share: its configuration, models, inference queue, upload
 * limits, aligner and metrics, and the executor that turns results into responses (PNG encoding,
 * JSON) so that the inference thread only runs models.
 */
final class Services {
  final ServeConfig config;
  final ServedModels models;
  final InferenceQueue queue;
  final ImageLimits limits;
  final AlignService aligner;
  final ServerMetrics metrics;
  private final ExecutorService replies;
  private final Executor http;

  Services(ServeConfig config, ServedModels models, InferenceQueue queue, ImageLimits limits, AlignService aligner,
      ServerMetrics metrics, ExecutorService replies, Executor http) {
    this.config = config;
    this.models = models;
    this.queue = queue;
    this.limits = limits;
    this.aligner = aligner;
    this.metrics = metrics;
    this.replies = replies;
    this.http = http;
  }

  /** Turns a result into the response. */
  interface ReplyFunction<T> {
    Reply apply(T result) throws Exception;
  }

  /**
   * Answers {@code ctx} when {@code pending} completes, without holding a request thread: the reply
   * {@code toReply} builds on the reply executor (CPU work: images, PNG, JSON), or the problem of the
   * failure (a timeout, a library error, a full queue), written by an HTTP thread (blocking I/O).
   */
  <T> void answer(Context ctx, CompletableFuture<T> pending, ReplyFunction<T> toReply) {
    String path = ctx.path();
    Duration timeout = config.requestTimeout();
    CompletableFuture<Reply> reply = pending.handleAsync((value, failure) -> {
      if (failure != null) {
        return Reply.problem(ApiException.from(failure, timeout), path);
      }
      try {
        return toReply.apply(value);
      } catch (Exception | LinkageError e) {
        return Reply.problem(ApiException.from(e, timeout), path);
      }
    }, replies);
    ctx.future(() -> reply.thenAcceptAsync(r -> r.writeTo(ctx), http));
  }
}
