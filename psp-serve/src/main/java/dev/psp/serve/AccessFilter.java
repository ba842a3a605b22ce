package dev.psp.serve;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Runs before every request: answers CORS preflights and adds the CORS headers for allowed origins,
 * and, when the server has an API key, refuses API calls ({@code /v1/*}, {@code /metrics}) without it
 * with 401. The web page, its files, {@code /health} and {@code /openapi.json} stay open. The key is
 * compared in constant time.
 */
final class AccessFilter {
  /** Response headers a browser script may read. */
  static final String EXPOSED = "Retry-After, X-Psp-Model, X-Psp-Engine, X-Psp-Noise, X-Psp-Batch-Id, X-Psp-Batch-Index,"
      + " X-Psp-Batch-Size";

  private final Optional<byte[]> key;
  private final List<String> origins;

  AccessFilter(Optional<String> apiKey, List<String> corsOrigins) {
    this.key = apiKey.map(k -> k.getBytes(StandardCharsets.UTF_8));
    this.origins = corsOrigins;
  }

  /** Whether a path needs the API key. */
  static boolean isProtected(String path) {
    return path.startsWith("/v1/") || path.equals("/metrics");
  }

  void before(Context ctx) {
    String origin = ctx.header("Origin");
    boolean allowed = origin != null && (origins.contains("*") || origins.contains(origin));
    if (allowed) {
      ctx.header("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
      ctx.header("Vary", "Origin");
      ctx.header("Access-Control-Expose-Headers", EXPOSED);
      if (HandlerType.OPTIONS.equals(ctx.method()) && ctx.header("Access-Control-Request-Method") != null) {
        ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Authorization, X-API-Key, Content-Type, Accept");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
        ctx.skipRemainingHandlers();
        return;
      }
    }
    if (key.isPresent() && isProtected(ctx.path()) && !HandlerType.OPTIONS.equals(ctx.method())) {
      String given = given(ctx);
      if (given == null) {
        throw ApiException.unauthorized("this server needs an API key: send 'Authorization: Bearer <key>' or"
            + " 'X-API-Key: <key>'");
      }
      if (!MessageDigest.isEqual(key.get(), given.getBytes(StandardCharsets.UTF_8))) {
        throw ApiException.unauthorized("the API key is not valid");
      }
    }
  }

  private static String given(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    String k = ctx.header("X-API-Key");
    return k == null ? null : k.trim();
  }
}
