package dev.psp.serve;

import java.util.List;
import java.util.Locale;

/**
 * Chooses the response media type from the request's {@code Accept} header (RFC 9110 §12.5.1): each
 * offered type gets the quality of the most specific matching range ({@code image/png}, then
 * {@code image/*}, then {@code *}{@code /*}); the best quality wins, ties go to the type offered first.
 * Without an {@code Accept} header the first offered type is the answer.
 */
final class Negotiation {
  private Negotiation() {}

  /**
   * The offered type to answer with.
   *
   * @param offered the types the endpoint can send, its default first
   * @throws ApiException 406 when the header accepts none of them
   */
  static String choose(String accept, List<String> offered) {
    if (accept == null || accept.isBlank()) {
      return offered.get(0);
    }
    String best = null;
    double bestQ = 0;
    for (String type : offered) {
      double q = quality(accept, type);
      if (q > bestQ) {
        best = type;
        bestQ = q;
      }
    }
    if (best == null) {
      throw ApiException.notAcceptable("Accept '" + accept + "' takes none of the types this endpoint sends: "
          + String.join(", ", offered));
    }
    return best;
  }

  /** The quality {@code accept} gives {@code type}: that of its most specific matching range, 0 when none matches. */
  static double quality(String accept, String type) {
    String major = type.substring(0, type.indexOf('/'));
    int bestSpecificity = -1;
    double q = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String r = parts[0].trim().toLowerCase(Locale.ROOT);
      int specificity;
      if (r.equals(type)) {
        specificity = 2;
      } else if (r.equals(major + "/*")) {
        specificity = 1;
      } else if (r.equals("*/*") || r.equals("*")) {
        specificity = 0;
      } else {
        continue;
      }
      if (specificity > bestSpecificity) {
        bestSpecificity = specificity;
        q = parseQ(parts);
      }
    }
    return q;
  }

  private static double parseQ(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.startsWith("q=") || p.startsWith("Q=")) {
        try {
          double v = Double.parseDouble(p.substring(2).trim());
          return v < 0 || v > 1 || Double.isNaN(v) ? 0 : v;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
