package dev.psp.serve;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of one request, read with checks whose messages name the parameter, what it
 * takes, and what it got. An endpoint lists the parameters it takes, so a misspelt one is an error
 * rather than silently ignored.
 */
final class Params {
  private final Map<String, List<String>> query;

  /**
   * The parameters of {@code ctx}.
   *
   * @throws ApiException 400 for a parameter the endpoint does not take or one given twice
   */
  Params(Context ctx, String... accepted) {
    this.query = ctx.queryParamMap();
    Set<String> known = Set.of(accepted);
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw ApiException.badParameter(e.getKey(), "unknown parameter '" + e.getKey() + "'; " + ctx.path()
            + " takes " + (accepted.length == 0 ? "no parameters" : String.join(", ", new TreeSet<>(known))));
      }
      if (e.getValue().size() > 1) {
        throw ApiException.badParameter(e.getKey(), "parameter '" + e.getKey() + "' is given " + e.getValue().size()
            + " times; give it once");
      }
    }
  }

  /** The value, or null when absent. */
  String string(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0).trim();
  }

  /** A {@code true}/{@code false} parameter. */
  boolean flag(String name, boolean dflt) {
    String v = string(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
        return true;
      case "false":
      case "0":
      case "no":
        return false;
      default:
        throw ApiException.badParameter(name, "parameter '" + name + "' must be true or false, got '" + v + "'");
    }
  }

  /** An integer in {@code [min, max]}. */
  int integer(String name, int dflt, int min, int max) {
    String v = string(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return (int) n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badParameter(name, "parameter '" + name + "' must be an integer in " + min + ".." + max
        + ", got '" + v + "'");
  }

  /** Any 64-bit integer. */
  long longValue(String name, long dflt) {
    String v = string(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badParameter(name, "parameter '" + name + "' must be a 64-bit integer, got '" + v + "'");
    }
  }

  /** A number in {@code [min, max]}. */
  double number(String name, double dflt, double min, double max) {
    String v = string(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= min && d <= max) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badParameter(name, "parameter '" + name + "' must be a number in [" + min + ", " + max
        + "], got '" + v + "'");
  }

  /** One of {@code choices} (lower case), the first being the default. */
  String choice(String name, String... choices) {
    String v = string(name);
    if (v == null || v.isEmpty()) {
      return choices[0];
    }
    String l = v.toLowerCase(Locale.ROOT);
    for (String c : choices) {
      if (c.equals(l)) {
        return c;
      }
    }
    throw ApiException.badParameter(name, "parameter '" + name + "' must be " + String.join(", ", choices)
        + ", got '" + v + "'");
  }

  /** The generator noise from {@code noise} ({@code fixed}, {@code seeded}, {@code random}) and {@code seed}. */
  NoiseChoice noise() {
    String mode = choice("noise", "fixed", "seeded", "random");
    long seed = longValue("seed", 0);
    return NoiseChoice.of(mode, seed);
  }
}
