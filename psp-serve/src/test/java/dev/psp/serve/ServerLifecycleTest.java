package dev.psp.serve;

import static dev.psp.serve.PspServerTest.assertProblem;
import static dev.psp.serve.PspServerTest.await;
import static dev.psp.serve.PspServerTest.metric;
import static dev.psp.serve.TestSupport.input;
import static dev.psp.serve.TestSupport.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.psp.TranslationTask;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A server under pressure and locked down: one model, a queue of one, a short request timeout, batching
 * off, an API key, one CORS origin, and no dlib landmark model. It refuses what it cannot queue (503 with
 * Retry-After), times out what waits too long (504), asks for the key (401), answers align with the
 * install hint (503), and closes gracefully: the request in flight still gets its image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerLifecycleTest {
  private static final String KEY = "s3cret-key";
  private static final String ORIGIN = "https://app.example.org";
  /** Long enough for a 128-px translation on a busy 2-core machine, short enough to wait for once. */
  private static final Duration TIMEOUT = Duration.ofSeconds(4);

  private PspServer server;
  private Client client;
  private byte[] sketch;

  @BeforeAll
  void start() throws Exception {
    server = PspServer.start(TestSupport.config("sketch").optQueueCapacity(1).optRequestTimeout(TIMEOUT)
        .optBatchWindow(Duration.ZERO).optApiKey(KEY).optCorsOrigin(ORIGIN)
        .optLandmarkModel(Path.of("no", "such", "shape_predictor_68_face_landmarks.dat")).build());
    client = new Client(server);
    sketch = png(input(TranslationTask.SKETCH_TO_FACE, 0));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  @Order(1)
  void theApiNeedsTheKeyButHealthAndThePageDoNot() {
    assertProblem(client.postPng("/v1/translate", sketch), 401, "unauthorized", "X-API-Key");
    assertThat(client.postPng("/v1/translate", sketch).header("WWW-Authenticate")).startsWith("Bearer");
    assertProblem(client.postPng("/v1/translate", sketch, "X-API-Key", "wrong"), 401, "unauthorized", "not valid");
    assertProblem(client.get("/metrics"), 401, "unauthorized", "API key");
    assertProblem(client.get("/v1/models"), 401, "unauthorized", "API key");

    Client.Response bearer = client.postPng("/v1/translate", sketch, "Authorization", "Bearer " + KEY);
    assertThat(bearer.status()).as(bearer.toString()).isEqualTo(200); // the only model needs no name
    assertThat(client.postPng("/v1/translate", sketch, "X-API-Key", KEY).status()).isEqualTo(200);
    assertThat(client.get("/metrics", "X-API-Key", KEY).status()).isEqualTo(200);

    assertThat(client.get("/health").status()).isEqualTo(200);
    assertThat(client.get("/").status()).isEqualTo(200);
    assertThat(client.get("/openapi.json").status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void corsAnswersTheConfiguredOriginOnly() {
    Client.Response preflight = client.send(client.request("/v1/translate", "Origin", ORIGIN,
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-api-key, content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
    assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("X-API-Key");

    Client.Response call = client.get("/v1/models", "Origin", ORIGIN, "X-API-Key", KEY);
    assertThat(call.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
    assertThat(call.header("Access-Control-Expose-Headers")).contains("Retry-After");

    Client.Response other = client.get("/v1/models", "Origin", "https://evil.example", "X-API-Key", KEY);
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  @Order(3)
  void alignWithoutTheLandmarkModelSaysHowToInstallIt() {
    Client.Response r = client.postPng("/v1/align", sketch, "X-API-Key", KEY);
    assertProblem(r, 503, "aligner-unavailable", "apt-get install libdlib-data");
    Client.Response health = client.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.object().get("align").getAsString()).startsWith("unavailable");
  }

  @Test
  @Order(4)
  void aFullQueueAnswers503WithRetryAfter() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CompletableFuture<Object> running = server.inference().submitInternal("test-block", () -> gate.await(30, TimeUnit.SECONDS));
    try {
      await(() -> server.inference().depth() == 0, "the inference thread to take the blocker");
      CompletableFuture<Object> waiting = server.inference().submit("test-wait", () -> "done");
      double rejectedBefore = metric(client.get("/metrics", "X-API-Key", KEY).text(),
          "psp_http_rejected_total{reason=\"queue_full\"}");

      Client.Response r = client.postPng("/v1/translate", sketch, "X-API-Key", KEY);
      assertProblem(r, 503, "queue-full", "the inference queue is full (1 requests waiting)");
      assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 60L);

      String metrics = client.get("/metrics", "X-API-Key", KEY).text();
      // refused before the upload is read: a body that is no image gets 503, not 400
      Client.Response garbage = client.post("/v1/encode", "image/png", new byte[] {1, 2, 3}, "X-API-Key", KEY);
      assertProblem(garbage, 503, "queue-full", "the inference queue is full");
      metrics = client.get("/metrics", "X-API-Key", KEY).text();
      assertThat(metric(metrics, "psp_http_rejected_total{reason=\"queue_full\"}")).isEqualTo(rejectedBefore + 2);
      assertThat(metric(metrics, "psp_inference_queue_depth")).isEqualTo(1);
      assertThat(metric(metrics, "psp_http_requests_total{method=\"POST\",route=\"/v1/translate\",status=\"503\"}"))
          .isGreaterThanOrEqualTo(1);
      gate.countDown();
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    } finally {
      gate.countDown();
    }
    running.join();
    assertThat(client.postPng("/v1/translate", sketch, "X-API-Key", KEY).status()).isEqualTo(200);
  }

  @Test
  @Order(5)
  void aRequestThatWaitsLongerThanTheTimeoutGets504() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CompletableFuture<Object> running = server.inference().submitInternal("test-block", () -> gate.await(30, TimeUnit.SECONDS));
    try {
      await(() -> server.inference().depth() == 0, "the inference thread to take the blocker");
      long start = System.nanoTime();
      Client.Response r = client.postPng("/v1/translate", sketch, "X-API-Key", KEY);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertProblem(r, 504, "timeout", "request timeout of " + TIMEOUT.toMillis() + " ms");
      assertThat(millis).isBetween(TIMEOUT.toMillis() - 500, TIMEOUT.toMillis() + 8000);
    } finally {
      gate.countDown();
    }
    running.join();
    assertThat(client.postPng("/v1/translate", sketch, "X-API-Key", KEY).status()).isEqualTo(200);
  }

  @Test
  @Order(6)
  void closeLetsTheRequestInFlightFinishAndRefusesNewOnes() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    server.inference().submitInternal("test-block", () -> gate.await(30, TimeUnit.SECONDS));
    await(() -> server.inference().depth() == 0, "the inference thread to take the blocker");
    CompletableFuture<Client.Response> inFlight = client.postAsync("/v1/translate", "image/png", sketch, "X-API-Key", KEY);
    await(() -> server.inference().depth() == 1, "the request to queue");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    Thread.sleep(300);
    assertThat(closing).as("close waits for the request in flight").isNotDone();
    Throwable refused = catchThrowable(() -> {
      Client.Response r = client.get("/health");
      assertThat(r.status()).isEqualTo(503);
    });
    assertThat(refused == null || refused.getCause() instanceof java.io.IOException || refused instanceof java.io.UncheckedIOException)
        .as("a new request is refused: " + refused).isTrue();

    gate.countDown();
    Client.Response r = inFlight.get(20, TimeUnit.SECONDS);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.image().getWidth()).isEqualTo(128);
    closing.get(20, TimeUnit.SECONDS);
  }
}
