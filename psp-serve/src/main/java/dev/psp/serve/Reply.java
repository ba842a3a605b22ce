package dev.psp.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete response, built off the request thread and written in one go: status, media type, body
 * and headers. Immutable.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}
 * @param body the bytes to send
 * @param headers extra headers, in order
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
  /** JSON as this server writes it: compact, floats in their shortest exact decimal form. */
  static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  Reply {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** 200 with {@code body} as {@code contentType}. */
  static Reply ok(String contentType, byte[] body) {
    return new Reply(200, contentType, body, Map.of());
  }

  /** 200 with a JSON document. */
  static Reply json(JsonElement json) {
    return json(200, json);
  }

  /** A JSON document with this status. */
  static Reply json(int status, JsonElement json) {
    return new Reply(status, "application/json", GSON.toJson(json).getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** The problem of {@code e}, as {@code application/problem+json}, with its headers. */
  static Reply problem(ApiException e, String instance) {
    Problem p = e.problem();
    byte[] body = GSON.toJson(p.toJson(instance)).getBytes(StandardCharsets.UTF_8);
    return new Reply(p.status(), Problem.MEDIA_TYPE, body, e.headers());
  }

  /** This reply with one more header. */
  Reply header(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, contentType, body, h);
  }

  /** Writes status, headers and body to {@code ctx}. */
  void writeTo(Context ctx) {
    ctx.status(status);
    headers.forEach(ctx::header);
    ctx.contentType(contentType);
    ctx.result(body);
  }
}
