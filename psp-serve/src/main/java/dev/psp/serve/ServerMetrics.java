package dev.psp.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The server's metrics, in Prometheus text format at {@code /metrics}:
 *
 * <ul>
 *   <li>{@code psp_http_requests_total{method,route,status}}: requests answered;
 *   <li>{@code psp_http_request_duration_seconds{method,route}}: latency histogram;
 *   <li>{@code psp_http_rejected_total{reason}}: requests refused with 503 because the queue was full
 *       ({@code queue_full}) or the photos waiting for alignment held too many pixels ({@code align_backlog});
 *   <li>{@code psp_inference_queue_depth}: requests waiting for the inference thread;
 *   <li>{@code psp_inference_batch_size{operation}}: histogram of batch sizes (translate, encode);
 *   <li>{@code psp_inference_duration_seconds{operation}}: time on the inference thread per batch or job;
 * </ul>
 * and the JVM's memory, threads, CPU and uptime. Thread-safe.
 */
final class ServerMetrics {
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final double[] batchBuckets;

  /** Metrics whose batch-size histogram has one bucket per size up to {@code maxBatch}. */
  ServerMetrics(int maxBatch) {
    batchBuckets = IntStream.rangeClosed(1, Math.max(1, maxBatch)).asDoubleStream().toArray();
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Counts one answered request and its latency. */
  void request(String method, String route, int status, long nanos) {
    Counter.builder("psp.http.requests").description("HTTP requests answered")
        .tags("method", method, "route", route, "status", Integer.toString(status)).register(registry).increment();
    Timer.builder("psp.http.request.duration").description("HTTP request latency")
        .tags("method", method, "route", route).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a request refused with 503. */
  void rejected(String reason) {
    Counter.builder("psp.http.rejected").description("requests refused with 503 because the server was overloaded")
        .tag("reason", reason).register(registry).increment();
  }

  /** Publishes the depth of the inference queue. */
  void queueDepth(Supplier<Number> depth) {
    Gauge.builder("psp.inference.queue.depth", depth).description("requests waiting for the inference thread")
        .register(registry);
  }

  /** Records the size of one batch. */
  void batch(String operation, int size) {
    DistributionSummary.builder("psp.inference.batch.size").description("requests run as one batch")
        .tag("operation", operation).serviceLevelObjectives(batchBuckets).register(registry).record(size);
  }

  /** Records the time of one batch or job on the inference thread. */
  void inference(String operation, long nanos) {
    Timer.builder("psp.inference.duration").description("time on the inference thread per batch or job")
        .tag("operation", operation).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The metrics in Prometheus text format 0.0.4. */
  String scrape() {
    return registry.scrape();
  }

  /** The content type of {@link #scrape()}. */
  static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }
}
