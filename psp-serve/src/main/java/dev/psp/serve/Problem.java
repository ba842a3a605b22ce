package dev.psp.serve;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 7807 problem detail: {@code type}, {@code title}, {@code status}, {@code detail} and extension
 * members, sent as {@code application/problem+json}. The type is a URN naming the kind of problem
 * ({@code urn:psp:problem:queue-full}), so clients can tell problems apart without parsing the detail.
 *
 * @param slug the kind of problem, the last part of the type URN
 * @param title a short summary that does not change from occurrence to occurrence
 * @param status the HTTP status
 * @param detail what went wrong this time and what to do: the message the {@code psp} command prints
 * @param extensions extra members (e.g. {@code parameter}, {@code models}); may be empty
 */
record Problem(String slug, String title, int status, String detail, Map<String, JsonElement> extensions) {
  /** The media type of problem details. */
  static final String MEDIA_TYPE = "application/problem+json";
  /** The prefix of every problem type. */
  static final String TYPE_PREFIX = "urn:psp:problem:";

  Problem {
    extensions = Map.copyOf(extensions);
  }

  /** A problem without extension members. */
  Problem(String slug, String title, int status, String detail) {
    this(slug, title, status, detail, Map.of());
  }

  /** This problem with one more extension member. */
  Problem with(String name, JsonElement value) {
    Map<String, JsonElement> more = new LinkedHashMap<>(extensions);
    more.put(name, value);
    return new Problem(slug, title, status, detail, more);
  }

  /** The type URI, e.g. {@code urn:psp:problem:bad-parameter}. */
  String type() {
    return TYPE_PREFIX + slug;
  }

  /** The problem as a JSON object; {@code instance} is the request path. */
  JsonObject toJson(String instance) {
    JsonObject o = new JsonObject();
    o.addProperty("type", type());
    o.addProperty("title", title);
    o.addProperty("status", status);
    o.addProperty("detail", detail);
    if (instance != null) {
      o.addProperty("instance", instance);
    }
    extensions.forEach(o::add);
    return o;
  }
}
