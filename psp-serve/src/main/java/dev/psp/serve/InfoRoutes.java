package dev.psp.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.psp.ModelConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The routes about the server itself: {@code GET /} (the web page), {@code /openapi.json} (the API
 * description), {@code /health}, {@code /metrics} and {@code /v1/models}.
 */
final class InfoRoutes {
  /** The class-path folder of the web page and its files. */
  static final String WEB = "/dev/psp/serve/web";
  /** The class-path location of the OpenAPI description. */
  static final String OPENAPI = "/dev/psp/serve/openapi.json";

  private final Services s;
  private final byte[] openApi;

  InfoRoutes(Services services) {
    this.s = services;
    this.openApi = resource(OPENAPI);
    if (openApi == null) {
      throw new IllegalStateException(OPENAPI + " is missing from the class path; the psp-serve jar is incomplete");
    }
  }

  void register(RoutesConfig routes) {
    routes.get("/", this::index);
    routes.get("/openapi.json", ctx -> Reply.ok("application/json", openApi).writeTo(ctx));
    routes.get("/health", this::health);
    routes.get("/metrics", ctx -> Reply.ok(ServerMetrics.contentType(),
        s.metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)).writeTo(ctx));
    routes.get("/v1/models", this::models);
  }

  private void index(Context ctx) {
    byte[] page = resource(WEB + "/index.html");
    if (page == null) {
      throw new ApiException(new Problem("no-web-page", "No web page", 404,
          "this build of psp-serve has no web page (" + WEB + "/index.html); the API is described at /openapi.json"));
    }
    Reply.ok("text/html; charset=utf-8", page).writeTo(ctx);
  }

  /** The server's state: 200 and {@code UP} once every model is loaded, 503 before (or when one failed). */
  private void health(Context ctx) {
    boolean startupDone = s.aligner.state() != AlignService.State.LOADING;
    String status = s.models.anyFailed() ? "DOWN" : s.models.allReady() && startupDone ? "UP" : "LOADING";
    JsonObject o = new JsonObject();
    o.addProperty("status", status);
    JsonObject models = new JsonObject();
    for (ServedModel m : s.models.all()) {
      models.addProperty(m.name(), switch (m.state()) {
        case READY -> "ready";
        case LOADING -> "loading";
        case FAILED -> "failed: " + m.failure().map(ApiException::oneLine).orElse("unknown error");
      });
    }
    o.add("models", models);
    o.addProperty("align", switch (s.aligner.state()) {
      case READY -> "ready";
      case LOADING -> "loading";
      case UNAVAILABLE -> "unavailable: " + s.aligner.problem().orElse("");
    });
    JsonObject queue = new JsonObject();
    queue.addProperty("depth", s.queue.depth());
    queue.addProperty("capacity", s.queue.capacity());
    o.add("queue", queue);
    JsonObject batching = new JsonObject();
    batching.addProperty("enabled", s.config.batching());
    batching.addProperty("window_ms", s.config.batchWindow().toNanos() / 1e6);
    batching.addProperty("max_batch", s.config.maxBatch());
    o.add("batching", batching);
    Reply.json(status.equals("UP") ? 200 : 503, o).writeTo(ctx);
  }

  /** The models: name, task, input channels, output size, W+ rows, engine, bundled demo or not, state. */
  private void models(Context ctx) {
    new Params(ctx);
    JsonArray out = new JsonArray();
    for (ServedModel m : s.models.all()) {
      JsonObject o = new JsonObject();
      o.addProperty("name", m.name());
      JsonArray aliases = new JsonArray();
      m.aliases().forEach(aliases::add);
      o.add("aliases", aliases);
      o.addProperty("state", m.state().name().toLowerCase(java.util.Locale.ROOT));
      m.model().ifPresent(model -> {
        ModelConfig c = model.config();
        o.addProperty("task", c.task().name());
        o.addProperty("input_channels", c.inputNc());
        o.addProperty("output_size", c.outputSize());
        o.addProperty("n_styles", c.nStyles());
        o.addProperty("style_dim", c.architecture().styleDim());
        o.addProperty("encoder", c.encoderType().officialName());
        o.addProperty("engine", model.engine());
        o.addProperty("device", model.device().toString());
        o.addProperty("bundled", m.bundled());
        o.addProperty("checkpoint", model.source().getFileName().toString());
      });
      out.add(o);
    }
    Reply.json(out).writeTo(ctx);
  }

  /** A class-path resource's bytes, or null when it is missing. */
  static byte[] resource(String path) {
    try (InputStream in = InfoRoutes.class.getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
