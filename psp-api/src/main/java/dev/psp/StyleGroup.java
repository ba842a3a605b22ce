package dev.psp;

import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The paper's groups of W+ rows (§3, Fig. 2): the map2style heads on the encoder's coarse (16×16),
 * medium (32×32) and fine (64×64) feature maps produce rows 0-2, 3-6 and 7 to the last. The groups
 * work on every output size: a 1024-px model (18 rows) has fine rows 7-17, a 64-px one (10 rows)
 * 7-9. Coarse rows carry pose and shape, fine rows colour and texture, which is why multi-modal
 * synthesis mixes the fine ones.
 */
public enum StyleGroup {
  /** Rows 0-2 (the coarse feature map). */
  COARSE(0, 3),
  /** Rows 3-6 (the medium feature map). */
  MEDIUM(3, 7),
  /** Rows 7 to the last (the fine feature map). */
  FINE(7, Integer.MAX_VALUE);

  private final int from;
  private final int to;

  StyleGroup(int from, int to) {
    this.from = from;
    this.to = to;
  }

  /**
   * The group's rows in a code of {@code nStyles} rows.
   *
   * @throws IllegalArgumentException if the model has none of them
   */
  public int[] rows(int nStyles) {
    int end = Math.min(to, nStyles);
    if (end <= from) {
      throw new IllegalArgumentException("the " + name().toLowerCase(Locale.ROOT) + " rows (" + from + "+) do not exist"
          + " in a model with " + nStyles + " W+ rows (0.." + (nStyles - 1) + ")");
    }
    return IntStream.range(from, end).toArray();
  }

  /** The group named {@code name} ({@code coarse}, {@code medium} or {@code fine}), if it is one. */
  public static java.util.Optional<StyleGroup> forName(String name) {
    for (StyleGroup g : values()) {
      if (g.name().equalsIgnoreCase(name.trim())) {
        return java.util.Optional.of(g);
      }
    }
    return java.util.Optional.empty();
  }
}
