package dev.psp.training.data;

import dev.psp.synthetic.FaceAttribute;
import dev.psp.synthetic.FaceParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How often a synthetic face is drawn for training, by its labels: a face counts {@code k} times
 * for each attribute given as {@code attribute=k} that it carries (weights multiply), once
 * otherwise. Written {@code glasses=3} or {@code glasses=3,smile=2}; the empty text is {@link
 * #NONE}. With {@code glasses=3} a quarter of the faces with glasses becomes half of the draws, so
 * a generator that drops a rare part sees it as often as the rest. Immutable.
 */
public final class Oversampling {
  /** Every face once. */
  public static final Oversampling NONE = new Oversampling(new EnumMap<>(FaceAttribute.class));

  /** Largest weight accepted for one attribute. */
  public static final int MAX_WEIGHT = 16;

  private final Map<FaceAttribute, Integer> weights;

  private Oversampling(Map<FaceAttribute, Integer> weights) {
    this.weights = Collections.unmodifiableMap(weights);
  }

  /**
   * Reads {@code attribute=k[,attribute=k...]} (attributes by {@link FaceAttribute#displayName()},
   * k in 1..{@value #MAX_WEIGHT}); blank text is {@link #NONE}.
   *
   * @throws IllegalArgumentException naming the part that is not of that form
   */
  public static Oversampling parse(String text) {
    Map<FaceAttribute, Integer> w = new EnumMap<>(FaceAttribute.class);
    if (text.isBlank()) {
      return NONE;
    }
    for (String part : text.split(",", -1)) {
      String[] kv = part.trim().split("=", -1);
      FaceAttribute a = kv.length == 2 ? attribute(kv[0].trim()) : null;
      Integer k = kv.length == 2 ? weight(kv[1].trim()) : null;
      if (a == null || k == null || w.containsKey(a)) {
        throw new IllegalArgumentException("oversampling '" + part.trim() + "' in '" + text
            + "' is not attribute=k with an attribute of " + names() + " (each once) and k in 1.."
            + MAX_WEIGHT + ", e.g. glasses=3");
      }
      w.put(a, k);
    }
    w.values().removeIf(k -> k == 1);
    return w.isEmpty() ? NONE : new Oversampling(w);
  }

  /** How many times the face is drawn: the product of the weights of the attributes it carries. */
  public int weight(FaceParams face) {
    int k = 1;
    for (Map.Entry<FaceAttribute, Integer> e : weights.entrySet()) {
      if (e.getKey().label(face).orElse(false)) {
        k *= e.getValue();
      }
    }
    return k;
  }

  /** Whether every face is drawn once. */
  public boolean isNone() {
    return weights.isEmpty();
  }

  /** The text {@link #parse} reads back, empty for {@link #NONE}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    weights.forEach((a, k) -> parts.add(a.displayName() + "=" + k));
    return String.join(",", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Oversampling other && weights.equals(other.weights);
  }

  @Override
  public int hashCode() {
    return weights.hashCode();
  }

  private static FaceAttribute attribute(String name) {
    for (FaceAttribute a : FaceAttribute.values()) {
      if (a.displayName().equals(name.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    return null;
  }

  private static Integer weight(String text) {
    try {
      int k = Integer.parseInt(text);
      return k >= 1 && k <= MAX_WEIGHT ? k : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String names() {
    List<String> n = new ArrayList<>();
    for (FaceAttribute a : FaceAttribute.values()) {
      n.add(a.displayName());
    }
    return n.toString();
  }
}
