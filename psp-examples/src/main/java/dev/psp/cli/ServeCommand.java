package dev.psp.cli;

import dev.psp.Device;
import dev.psp.Psp;
import dev.psp.serve.PspServer;
import dev.psp.serve.ServeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psp serve}: the HTTP API and the web page, until interrupted (Ctrl+C shuts down gracefully). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve models over HTTP: JSON/binary API (/openapi.json), web page at /, /health, /metrics.")
final class ServeCommand implements Callable<Integer> {
  /** The models served when none is named: the bundled demo models stand in for missing official files. */
  static final List<String> DEFAULT_MODELS = List.of("sketch", "segmentation", "encode");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-m", "--model"}, paramLabel = "<name|file.pt>",
      description = "A model to serve (repeatable; default: sketch, segmentation, encode).")
  List<String> models;

  @Option(names = "--engine", paramLabel = "<name>", description = "Engine: pytorch or onnx (default: best available).")
  String engine;

  @Option(names = "--device", paramLabel = "<cpu|gpu|gpu:N>", defaultValue = "cpu", description = "Device (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--model-dir", paramLabel = "<folder>", description = "Folder holding the official .pt files.")
  Path modelDir;

  @Option(names = "--landmarks-model", paramLabel = "<file>", description = "dlib's landmark model for /v1/align.")
  Path landmarksModel;

  @Option(names = "--host", defaultValue = ServeConfig.DEFAULT_HOST,
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 for a free one).")
  int port;

  @Option(names = "--batch-window-ms", defaultValue = "10",
      description = "Requests arriving within this window run as one batch; 0 turns batching off (default: ${DEFAULT-VALUE}).")
  long batchWindowMs;

  @Option(names = "--max-batch", defaultValue = "8", description = "Largest batch (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--queue", defaultValue = "64",
      description = "Requests waiting at most; more are answered 503 with Retry-After (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--timeout-s", defaultValue = "60", description = "Per-request timeout in seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--max-upload-mb", defaultValue = "16", description = "Largest request body in MiB (default: ${DEFAULT-VALUE}).")
  long maxUploadMb;

  @Option(names = "--max-pixels", defaultValue = "16000000",
      description = "Largest image (width x height) accepted, checked before decoding (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Option(names = "--api-key", paramLabel = "<key>", defaultValue = "${env:PSP_API_KEY}",
      description = "Require this key (Authorization: Bearer or X-API-Key) on /v1 routes (default: $PSP_API_KEY, none).")
  String apiKey;

  @Option(names = "--cors-origin", paramLabel = "<origin>", description = "Allow browser calls from this origin (repeatable; default: none).")
  List<String> corsOrigins;

  @Override
  public Integer call() throws Exception {
    ServeConfig config = config();
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    PspServer server = PspServer.start(config);
    Thread hook = new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "psp-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf(Locale.ROOT, "serving %s on http://%s:%d/ (API: /openapi.json, health: /health, metrics: /metrics); Ctrl+C stops%n",
        String.join(", ", config.models()), config.host(), server.port());
    out.flush();
    stopped.await();
    return 0;
  }

  /** The server configuration from the options; usage errors name the option. */
  ServeConfig config() {
    try {
      ServeConfig.Builder b = ServeConfig.builder();
      for (String m : models == null || models.isEmpty() ? DEFAULT_MODELS : models) {
        ModelOptions.checkModelName(m);
        b.addModel(m);
      }
      if (engine != null) {
        if (!Psp.engines().contains(engine.toLowerCase(Locale.ROOT))) {
          throw new PspCli.UsageException("unknown engine '" + engine + "'; available: " + String.join(", ", Psp.engines()));
        }
        b.optEngine(engine);
      }
      b.optDevice(Device.parse(device));
      if (modelDir != null) {
        b.optModelDir(modelDir);
      }
      if (landmarksModel != null) {
        b.optLandmarkModel(landmarksModel);
      }
      b.optHost(host).optPort(port).optBatchWindow(Duration.ofMillis(batchWindowMs)).optMaxBatch(maxBatch)
          .optQueueCapacity(queue).optRequestTimeout(Duration.ofSeconds(timeoutSeconds))
          .optMaxUploadBytes(maxUploadMb << 20).optMaxPixels(maxPixels);
      if (apiKey != null && !apiKey.isBlank()) {
        b.optApiKey(apiKey);
      }
      if (corsOrigins != null) {
        corsOrigins.forEach(b::optCorsOrigin);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new PspCli.UsageException(e.getMessage());
    }
  }
}
