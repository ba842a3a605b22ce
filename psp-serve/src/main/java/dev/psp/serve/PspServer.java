package dev.psp.serve;

import dev.psp.PspException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP server for pSp models: the JSON and binary API of {@code /openapi.json} (translate, encode,
 * decode, mix, interpolate, align, models), a web page at {@code /}, {@code /health} and Prometheus
 * {@code /metrics}.
 *
 * <pre>{@code
 * ServeConfig config = ServeConfig.builder().addModel("sketch").optPort(0).build();
 * try (PspServer server = PspServer.start(config)) {   // listening, every model loaded
 *   System.out.println("open " + server.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p>Each model is loaded once and shared by all requests. All model work runs on one inference thread
 * behind a bounded queue that batches translate and encode requests (see {@link ServeConfig}); request
 * threads only read, check and decode uploads, and encoding responses happens on a small pool of its
 * own. {@link #close()} shuts down gracefully. Thread-safe.
 */
public final class PspServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PspServer.class.getName());
  /** The most HTTP threads (Jetty's and Javalin's default); they read uploads and write responses. */
  private static final int HTTP_THREADS = 250;

  private final ServeConfig config;
  private final Services services;
  private final ExecutorService replies;
  private final QueuedThreadPool httpThreads;
  private final CompletableFuture<Void> loaded;
  private final List<String> routes = new CopyOnWriteArrayList<>();
  private final Set<String> routePaths = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Javalin app;

  private PspServer(ServeConfig config) {
    this.config = config;
    boolean batching = config.batching();
    ServerMetrics metrics = new ServerMetrics(batching ? config.maxBatch() : 1);
    InferenceQueue queue = new InferenceQueue(config.queueCapacity(), batching ? config.maxBatch() : 1,
        config.batchWindow(), config.requestTimeout(), metrics);
    ServedModels models = new ServedModels(config.models(), config.loadOptions());
    AlignService aligner = new AlignService(config.landmarkModel(), config.modelDir());
    List<CompletableFuture<?>> loads = new ArrayList<>();
    for (ServedModel m : models.all()) {
      loads.add(queue.submitInternal("load", () -> {
        models.load(m);
        return m;
      }));
    }
    loads.add(queue.submitInternal("load", () -> {
      aligner.load();
      return aligner;
    }));
    this.loaded = CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0]));
    this.replies = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        daemonThreads("psp-reply-"));
    this.httpThreads = new QueuedThreadPool(HTTP_THREADS, 8);
    httpThreads.setName("psp-http");
    this.services = new Services(config, models, queue,
        new ImageLimits(config.maxUploadBytes(), config.maxImageSide(), config.maxPixels()), aligner, metrics, replies,
        httpThreads);
    Javalin created;
    try {
      created = Javalin.create(this::configure);
    } catch (RuntimeException e) {
      queue.shutdown(models::closeAll);
      replies.shutdown();
      throw e;
    }
    this.app = created;
  }

  /**
   * Starts a server and returns once it listens and every model is loaded.
   *
   * @throws PspException the first loading failure (the server is closed then), as {@code Psp.load} throws it
   * @throws IllegalStateException if the server cannot listen on the address and port
   */
  public static PspServer start(ServeConfig config) throws PspException {
    PspServer server = startAsync(config);
    try {
      server.loaded.get();
      server.rethrowLoadFailure();
      return server;
    } catch (PspException | RuntimeException e) {
      server.close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      throw new PspException("interrupted while loading the models", e);
    } catch (ExecutionException e) {
      server.close();
      throw new PspException("loading the models failed: " + ApiException.oneLine(e.getCause()), e.getCause());
    }
  }

  /**
   * Starts a server and returns once it listens; the models load on the inference thread meanwhile.
   * Until they are loaded {@code /health} answers 503 and model requests 503 with {@code Retry-After};
   * {@link #awaitReady(Duration)} waits for them.
   *
   * @throws IllegalStateException if the server cannot listen on the address and port
   */
  public static PspServer startAsync(ServeConfig config) {
    PspServer server = new PspServer(config);
    try {
      server.app.start();
    } catch (RuntimeException e) {
      server.close();
      throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
          + ApiException.oneLine(e) + (e.getCause() != null ? " (" + ApiException.oneLine(e.getCause()) + ")" : "")
          + "; choose another port (0 takes a free one) or host", e);
    }
    LOG.log(System.Logger.Level.INFO, "pSp server listening on " + server.uri() + " (" + config + ")");
    return server;
  }

  private void configure(JavalinConfig cfg) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.startup.startupWatcherEnabled = false;
    cfg.jetty.threadPool = httpThreads;
    cfg.jetty.host = config.host();
    cfg.jetty.port = config.port();
    cfg.jetty.modifyServer(server -> {
      // close(): stop accepting, let the requests in flight finish (bounded), then stop
      server.insertHandler(new GracefulHandler());
      server.setStopTimeout(config.shutdownTimeout().toMillis());
    });
    cfg.http.maxRequestSize = config.maxUploadBytes();
    cfg.http.prefer405over404 = true;
    // a backstop only: the inference queue answers 504 after the request timeout
    cfg.http.asyncTimeout = config.requestTimeout().toMillis() + 30_000;
    if (InfoRoutes.class.getResource(InfoRoutes.WEB) != null) {
      cfg.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = InfoRoutes.WEB;
        files.location = Location.CLASSPATH;
      });
    }
    cfg.events.handlerAdded(info -> {
      if (info.getHttpMethod().isHttpMethod()) {
        routes.add(info.getHttpMethod().name() + " " + info.getPath());
        routePaths.add(info.getPath());
      }
    });
    cfg.requestLogger.http((ctx, ms) -> services.metrics.request(ctx.method().name(), routeLabel(ctx.path(), ctx.statusCode()),
        ctx.statusCode(), (long) (ms * 1e6)));
    AccessFilter access = new AccessFilter(config.apiKey(), config.corsOrigins());
    cfg.routes.before(access::before);
    cfg.routes.exception(HttpResponseException.class, (e, ctx) -> Reply.problem(fromJavalin(e), ctx.path()).writeTo(ctx));
    cfg.routes.exception(Exception.class, (e, ctx) -> {
      ApiException a = ApiException.from(e, config.requestTimeout());
      if (a.problem().status() >= 500 && !(e instanceof ApiException)) {
        LOG.log(System.Logger.Level.WARNING, ctx.method() + " " + ctx.path() + " failed: " + a.getMessage(), e);
      }
      Reply.problem(a, ctx.path()).writeTo(ctx);
    });
    new InfoRoutes(services).register(cfg.routes);
    new CodecRoutes(services).register(cfg.routes);
    new StyleRoutes(services).register(cfg.routes);
    new AlignRoutes(services).register(cfg.routes);
  }

  /** The metrics label of a path: the route itself, {@code static} for the web page's files, else {@code other}. */
  private String routeLabel(String path, int status) {
    if (routePaths.contains(path)) {
      return path;
    }
    return status < 400 ? "static" : "other";
  }

  /** Javalin's own errors (no such route, method not allowed, body too large) as problems. */
  private static ApiException fromJavalin(HttpResponseException e) {
    int status = e.getStatus();
    String slug = switch (status) {
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 413 -> "too-large";
      default -> "http-" + status;
    };
    String title = switch (status) {
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Content too large";
      default -> "HTTP " + status;
    };
    String detail = e.getMessage() == null || e.getMessage().isBlank() ? title : e.getMessage();
    if (!e.getDetails().isEmpty()) {
      detail = detail + " " + e.getDetails();
    }
    if (status == 404 || status == 405) {
      detail = detail + "; the API is described at /openapi.json";
    }
    return new ApiException(new Problem(slug, title, status, detail));
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The port the server listens on (the free port taken when the configuration asked for 0). */
  public int port() {
    return app.port();
  }

  /** The server's base address, e.g. {@code http://127.0.0.1:8080/} ({@code localhost} for all interfaces). */
  public URI uri() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "localhost";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** The configuration. */
  public ServeConfig config() {
    return config;
  }

  /** Whether every model is loaded (and the face aligner loaded or found unavailable). */
  public boolean isReady() {
    return loaded.isDone() && services.models.allReady();
  }

  /**
   * Waits until every model is loaded.
   *
   * @return false if {@code timeout} passed first
   * @throws PspException the first loading failure, as {@code Psp.load} threw it
   */
  public boolean awaitReady(Duration timeout) throws PspException, InterruptedException {
    try {
      loaded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new PspException("loading the models failed: " + ApiException.oneLine(e.getCause()), e.getCause());
    }
    rethrowLoadFailure();
    return true;
  }

  private void rethrowLoadFailure() throws PspException {
    for (ServedModel m : services.models.all()) {
      if (m.failure().isPresent()) {
        Throwable e = m.failure().get();
        if (e instanceof PspException p) {
          throw p;
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        if (e instanceof Error err) {
          throw err;
        }
        throw new PspException("model '" + m.name() + "' failed to load: " + ApiException.oneLine(e), e);
      }
    }
  }

  /**
   * Shuts down gracefully: stops accepting connections, lets the requests in flight finish (up to the
   * configured shutdown timeout), stops the inference thread and closes the models on it. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      app.stop();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "stopping the HTTP server: " + ApiException.oneLine(e), e);
    }
    services.queue.shutdown(services.models::closeAll);
    try {
      if (!services.queue.awaitTermination(config.shutdownTimeout())) {
        LOG.log(System.Logger.Level.WARNING, "the inference thread is still busy after " + config.shutdownTimeout()
            + "; its models close when it finishes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    replies.shutdown();
  }

  /** The inference queue (for tests in this package). */
  InferenceQueue inference() {
    return services.queue;
  }

  /** The routes, as {@code METHOD /path} (for tests in this package). */
  List<String> routes() {
    return List.copyOf(routes);
  }

  /** The metrics (for tests in this package). */
  ServerMetrics metrics() {
    return services.metrics;
  }
}
