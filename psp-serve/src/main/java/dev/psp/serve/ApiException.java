package dev.psp.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the server answers with a problem detail instead of a result: bad parameters, unsupported
 * media, oversize uploads, unknown models, a full queue. The factories name the problem kinds the API
 * documents in {@code openapi.json}; every detail names the parameter or header at fault and says what
 * would be accepted.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;
  private final transient Map<String, String> headers;

  ApiException(Problem problem) {
    this(problem, Map.of());
  }

  ApiException(Problem problem, Map<String, String> headers) {
    super(problem.detail());
    this.problem = problem;
    this.headers = Map.copyOf(headers);
  }

  /** The problem to send. */
  Problem problem() {
    return problem;
  }

  /** Extra response headers (e.g. {@code Retry-After}). */
  Map<String, String> headers() {
    return headers;
  }

  /** 400: a query parameter is malformed or out of range; the detail names it. */
  static ApiException badParameter(String parameter, String detail) {
    return new ApiException(new Problem("bad-parameter", "Bad parameter", 400, detail)
        .with("parameter", new JsonPrimitive(parameter)));
  }

  /** 400: the request body (or a part of it) is not what the endpoint reads. */
  static ApiException badBody(String detail) {
    return new ApiException(new Problem("malformed-body", "Malformed request body", 400, detail));
  }

  /** 401: the API key is missing or wrong. */
  static ApiException unauthorized(String detail) {
    return new ApiException(new Problem("unauthorized", "API key required", 401, detail),
        Map.of("WWW-Authenticate", "Bearer realm=\"psp\""));
  }

  /** 404: no loaded model has this name; lists the loaded ones. */
  static ApiException unknownModel(String detail, Collection<String> loaded) {
    JsonArray names = new JsonArray();
    loaded.forEach(names::add);
    return new ApiException(new Problem("unknown-model", "Unknown model", 404, detail).with("models", names));
  }

  /** 406: the client accepts none of the media types the endpoint answers with. */
  static ApiException notAcceptable(String detail) {
    return new ApiException(new Problem("not-acceptable", "Not acceptable", 406, detail));
  }

  /** 413: the upload or the image it declares is larger than the server's limits. */
  static ApiException tooLarge(String detail) {
    return new ApiException(new Problem("too-large", "Content too large", 413, detail));
  }

  /** 415: the Content-Type is not one the endpoint reads. */
  static ApiException unsupportedMediaType(String detail) {
    return new ApiException(new Problem("unsupported-media-type", "Unsupported media type", 415, detail));
  }

  /** 422: the input is well formed but cannot be used (no face, a label outside the classes). */
  static ApiException unprocessable(String slug, String title, String detail) {
    return new ApiException(new Problem(slug, title, 422, detail));
  }

  /** 503 with {@code Retry-After}: the server cannot take the request now; trying later may work. */
  static ApiException unavailable(String slug, String title, String detail, long retryAfterSeconds) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    return new ApiException(new Problem(slug, title, 503, detail), h);
  }

  /** 504: the request waited and ran longer than the request timeout. */
  static ApiException timeout(java.time.Duration limit) {
    return new ApiException(new Problem("timeout", "Request timeout", 504, "the request waited for and ran on the"
        + " inference thread longer than this server's request timeout of " + limit.toMillis() + " ms; the server is"
        + " busy: retry later, or send fewer or smaller requests"));
  }

  /**
   * The problem to answer for a failure: an {@code ApiException} as it is; a timeout as 504; an
   * invalid argument of the library (the message the {@code psp} command prints for it) as 400; a face
   * that is not there as 422; anything else as 500 with its message.
   */
  static ApiException from(Throwable failure, java.time.Duration timeout) {
    Throwable t = failure;
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApiException a) {
      return a;
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return timeout(timeout);
    }
    if (t instanceof dev.psp.align.NoFaceException) {
      return unprocessable("no-face", "No face", t.getMessage());
    }
    if (t instanceof IllegalArgumentException || t instanceof IndexOutOfBoundsException) {
      return new ApiException(new Problem("invalid-input", "Invalid input", 400, oneLine(t)));
    }
    return new ApiException(new Problem("internal", "Internal error", 500, oneLine(t)));
  }

  /** The message of a throwable on one line, its type when it has none (as the {@code psp} command prints it). */
  static String oneLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      m = t.getClass().getSimpleName();
    }
    return m.replace('\n', ' ').replaceAll("\\s+", " ");
  }

  /** 503 without {@code Retry-After}: a part of the server is missing and retrying will not help. */
  static ApiException unavailable(String slug, String title, String detail) {
    return new ApiException(new Problem(slug, title, 503, detail));
  }
}
