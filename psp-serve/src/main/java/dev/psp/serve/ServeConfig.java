package dev.psp.serve;

import dev.psp.Device;
import dev.psp.LoadOptions;
import dev.psp.ModelRegistry;
import dev.psp.Psp;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a {@link PspServer} serves and how: the models, the address, the inference queue (batching
 * window, largest batch, capacity, request timeout), the upload limits, and optional access control.
 * Built with {@link #builder()}: {@code addModel} for the models (at least one), {@code opt*} for
 * everything else. Immutable and thread-safe.
 *
 * <pre>{@code
 * ServeConfig config = ServeConfig.builder()
 *     .addModel("sketch")                       // names or .pt paths, like psp --model
 *     .optPort(0)                               // 0 = a free port
 *     .optBatchWindow(Duration.ofMillis(10)).optMaxBatch(8)
 *     .build();
 * }</pre>
 */
public final class ServeConfig {
  /** The port when none is chosen. */
  public static final int DEFAULT_PORT = 8080;
  /** The address when none is chosen: the loopback interface only. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** How long the first request of a batch waits for others. */
  public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(10);
  /** The most requests one batch holds. */
  public static final int DEFAULT_MAX_BATCH = 8;
  /** The most requests waiting for the inference thread before the server answers 503. */
  public static final int DEFAULT_QUEUE_CAPACITY = 64;
  /** How long a request may wait and run before it is answered 504. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** How long {@link PspServer#close()} waits for requests in flight. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  /** The largest request body, 16 MiB. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 16L << 20;
  /** The largest image width or height. */
  public static final int DEFAULT_MAX_IMAGE_SIDE = 4096;
  /** The most pixels of an image. */
  public static final long DEFAULT_MAX_PIXELS = 16_000_000L;

  private final List<String> models;
  private final String host;
  private final int port;
  private final String engine;
  private final Device device;
  private final Path modelDir;
  private final Path landmarkModel;
  private final Duration batchWindow;
  private final int maxBatch;
  private final int queueCapacity;
  private final Duration requestTimeout;
  private final Duration shutdownTimeout;
  private final long maxUploadBytes;
  private final int maxImageSide;
  private final long maxPixels;
  private final String apiKey;
  private final List<String> corsOrigins;

  private ServeConfig(Builder b) {
    models = List.copyOf(b.models);
    host = b.host;
    port = b.port;
    engine = b.engine;
    device = b.device;
    modelDir = b.modelDir;
    landmarkModel = b.landmarkModel;
    batchWindow = b.batchWindow;
    maxBatch = b.maxBatch;
    queueCapacity = b.queueCapacity;
    requestTimeout = b.requestTimeout;
    shutdownTimeout = b.shutdownTimeout;
    maxUploadBytes = b.maxUploadBytes;
    maxImageSide = b.maxImageSide;
    maxPixels = b.maxPixels;
    apiKey = b.apiKey;
    corsOrigins = List.copyOf(b.corsOrigins);
  }

  /** A builder with the defaults and no model. */
  public static Builder builder() {
    return new Builder();
  }

  /** The models as given: official names, aliases or {@code .pt} paths, in order. */
  public List<String> models() {
    return models;
  }

  /** The address to listen on. */
  public String host() {
    return host;
  }

  /** The port to listen on; 0 takes a free one ({@link PspServer#port()} tells which). */
  public int port() {
    return port;
  }

  /** The engine, if chosen; otherwise the SDK chooses (see {@link Psp#engines()}). */
  public Optional<String> engine() {
    return Optional.ofNullable(engine);
  }

  /** The device the models run on. */
  public Device device() {
    return device;
  }

  /** The folder searched first for official model files (and dlib's landmark model), if chosen. */
  public Optional<Path> modelDir() {
    return Optional.ofNullable(modelDir);
  }

  /** dlib's landmark model file (or a folder holding it) for {@code /v1/align}, if chosen. */
  public Optional<Path> landmarkModel() {
    return Optional.ofNullable(landmarkModel);
  }

  /** How long the first translate or encode request of a batch waits for others of the same kind. */
  public Duration batchWindow() {
    return batchWindow;
  }

  /** The most requests run as one batch. */
  public int maxBatch() {
    return maxBatch;
  }

  /** Whether requests are batched at all: a window above zero and a largest batch above one. */
  public boolean batching() {
    return maxBatch > 1 && !batchWindow.isZero();
  }

  /** The most requests that wait for the inference thread; one more is answered 503. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** How long a request may wait for and run on the inference thread before it is answered 504. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** How long {@link PspServer#close()} waits for requests in flight before it stops anyway. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** The largest request body in bytes (each file of a multipart request). */
  public long maxUploadBytes() {
    return maxUploadBytes;
  }

  /** The largest width or height of an uploaded image. */
  public int maxImageSide() {
    return maxImageSide;
  }

  /** The most pixels of an uploaded image. */
  public long maxPixels() {
    return maxPixels;
  }

  /** The API key clients must send, if one is set. */
  public Optional<String> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /** The origins allowed to call the API from a browser (CORS); empty: none. */
  public List<String> corsOrigins() {
    return corsOrigins;
  }

  /** The options each model is loaded with. */
  public LoadOptions loadOptions() {
    LoadOptions o = LoadOptions.defaults().optDevice(device);
    if (engine != null) {
      o = o.optEngine(engine);
    }
    if (modelDir != null) {
      o = o.optModelDir(modelDir);
    }
    return o;
  }

  @Override
  public String toString() {
    return "ServeConfig[models=" + models + ", " + host + ":" + port + ", engine=" + (engine == null ? "auto" : engine)
        + ", device=" + device + ", batch window=" + batchWindow.toMillis() + "ms, max batch=" + maxBatch
        + ", queue=" + queueCapacity + ", timeout=" + requestTimeout.toMillis() + "ms, upload<=" + maxUploadBytes
        + "B, image<=" + maxImageSide + "px/" + maxPixels + "px, api key=" + (apiKey == null ? "none" : "set")
        + ", cors=" + corsOrigins + "]";
  }

  /** Builds a {@link ServeConfig}; every setter checks its argument and names it when it is wrong. */
  public static final class Builder {
    private final List<String> models = new ArrayList<>();
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String engine;
    private Device device = Device.cpu();
    private Path modelDir;
    private Path landmarkModel;
    private Duration batchWindow = DEFAULT_BATCH_WINDOW;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
    private int maxImageSide = DEFAULT_MAX_IMAGE_SIDE;
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private String apiKey;
    private final List<String> corsOrigins = new ArrayList<>();

    private Builder() {}

    /**
     * Serves a model: an official name or alias ({@code sketch}, {@code ffhq_encode}, ...) or a path to a
     * {@code .pt} checkpoint, as {@code psp --model} takes. Requests name it by this name (a path by its
     * file name without {@code .pt}); a name also answers to the other aliases of its task.
     *
     * @throws IllegalArgumentException if it is neither a known name nor an existing file, or given twice
     */
    public Builder addModel(String nameOrPath) {
      if (nameOrPath == null || nameOrPath.isBlank()) {
        throw new IllegalArgumentException("model must not be empty; use one of " + ModelRegistry.knownNames()
            + " or a path to a .pt file");
      }
      String m = nameOrPath.trim();
      if (!ModelRegistry.isName(m) && !isFile(m)) {
        throw new IllegalArgumentException("unknown model '" + m + "': not a file, and not one of "
            + ModelRegistry.knownNames());
      }
      String name = ServedModel.nameOf(m);
      for (String other : models) {
        if (ServedModel.nameOf(other).equalsIgnoreCase(name)) {
          throw new IllegalArgumentException("model '" + name + "' is given twice");
        }
      }
      models.add(m);
      return this;
    }

    private static boolean isFile(String s) {
      try {
        return Files.isRegularFile(Path.of(s));
      } catch (InvalidPathException e) {
        return false;
      }
    }

    /** Listens on this address (default {@value ServeConfig#DEFAULT_HOST}; {@code 0.0.0.0} for all interfaces). */
    public Builder optHost(String address) {
      if (address == null || address.isBlank()) {
        throw new IllegalArgumentException("host must not be empty; use 127.0.0.1, 0.0.0.0 or a host name");
      }
      host = address.trim();
      return this;
    }

    /** Listens on this port (default {@value ServeConfig#DEFAULT_PORT}); 0 takes a free port. */
    public Builder optPort(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535 (0 = a free port), got " + p);
      }
      port = p;
      return this;
    }

    /**
     * Runs the models on this engine (e.g. {@code pytorch}, {@code onnx}).
     *
     * @throws IllegalArgumentException if no engine of this name is on the class path, listing those that are
     */
    public Builder optEngine(String name) {
      if (name == null || name.isBlank()) {
        engine = null;
        return this;
      }
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (!Psp.engines().contains(n)) {
        throw new IllegalArgumentException("unknown engine '" + name + "'; available: " + String.join(", ", Psp.engines()));
      }
      engine = n;
      return this;
    }

    /** Runs the models on this device (default: the CPU). */
    public Builder optDevice(Device d) {
      if (d == null) {
        throw new IllegalArgumentException("device must not be null");
      }
      device = d;
      return this;
    }

    /** Looks for official model files, and dlib's landmark model, in this folder first. */
    public Builder optModelDir(Path dir) {
      modelDir = dir;
      return this;
    }

    /** Reads dlib's landmark model for {@code /v1/align} from this file (or folder), as {@code psp align --landmarks-model}. */
    public Builder optLandmarkModel(Path file) {
      landmarkModel = file;
      return this;
    }

    /**
     * How long the first translate or encode request of a batch waits for more of the same kind (default
     * 10 ms). Zero turns batching off.
     */
    public Builder optBatchWindow(Duration window) {
      if (window == null || window.isNegative()) {
        throw new IllegalArgumentException("batch window must be zero or positive, got " + window);
      }
      batchWindow = window;
      return this;
    }

    /** The most requests one batch holds (default {@value ServeConfig#DEFAULT_MAX_BATCH}); 1 turns batching off. */
    public Builder optMaxBatch(int n) {
      if (n < 1 || n > 256) {
        throw new IllegalArgumentException("max batch must be in 1..256, got " + n);
      }
      maxBatch = n;
      return this;
    }

    /** The most requests waiting for the inference thread (default {@value ServeConfig#DEFAULT_QUEUE_CAPACITY}). */
    public Builder optQueueCapacity(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("queue capacity must be >= 1, got " + n);
      }
      queueCapacity = n;
      return this;
    }

    /** How long a request may wait for and run on the inference thread (default 60 s). */
    public Builder optRequestTimeout(Duration timeout) {
      requestTimeout = positive(timeout, "request timeout");
      return this;
    }

    /** How long {@link PspServer#close()} waits for requests in flight (default 30 s). */
    public Builder optShutdownTimeout(Duration timeout) {
      shutdownTimeout = positive(timeout, "shutdown timeout");
      return this;
    }

    /** The largest request body in bytes (default 16 MiB); larger ones are answered 413. */
    public Builder optMaxUploadBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("max upload must be >= 1024 bytes, got " + bytes);
      }
      maxUploadBytes = bytes;
      return this;
    }

    /** The largest width or height of an uploaded image (default {@value ServeConfig#DEFAULT_MAX_IMAGE_SIDE}). */
    public Builder optMaxImageSide(int pixels) {
      if (pixels < 1) {
        throw new IllegalArgumentException("max image side must be >= 1, got " + pixels);
      }
      maxImageSide = pixels;
      return this;
    }

    /** The most pixels of an uploaded image (default 16,000,000); checked before the image is decoded. */
    public Builder optMaxPixels(long pixels) {
      if (pixels < 1) {
        throw new IllegalArgumentException("max pixels must be >= 1, got " + pixels);
      }
      maxPixels = pixels;
      return this;
    }

    /**
     * Requires this key on every API call, as {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>};
     * {@code /}, its files, {@code /health} and {@code /openapi.json} stay open. Null or blank: no key.
     */
    public Builder optApiKey(String key) {
      apiKey = key == null || key.isBlank() ? null : key.trim();
      return this;
    }

    /**
     * Lets web pages from this origin (e.g. {@code https://example.org}, or {@code *} for any) call the API
     * (CORS). May be called more than once. Off by default.
     */
    public Builder optCorsOrigin(String origin) {
      if (origin == null || origin.isBlank()) {
        throw new IllegalArgumentException("CORS origin must not be empty; give e.g. https://example.org or *");
      }
      String o = origin.trim();
      if (!o.equals("*") && !o.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException("CORS origin must be * or scheme://host[:port] without a path, got '"
            + origin + "'");
      }
      corsOrigins.add(o.endsWith("/") ? o.substring(0, o.length() - 1) : o);
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if no model was added
     */
    public ServeConfig build() {
      if (models.isEmpty()) {
        throw new IllegalArgumentException("add at least one model (addModel with a name such as sketch, or a .pt path)");
      }
      return new ServeConfig(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
