package dev.psp;

/**
 * The size of generated images: the generator's own ({@link #FULL}, e.g. 1024×1024) or pooled to the
 * encoder's 256×256 by the official {@code face_pool} ({@link #POOLED}, what the official code's
 * {@code resize=True} returns and its training losses compare).
 */
public enum OutputSize {
  /** The generator's output size (the official {@code resize=False}). */
  FULL,
  /** Pooled to 256×256 by {@code face_pool}, an adaptive average pool (the official {@code resize=True}). */
  POOLED;

  /** {@link #POOLED} when {@code pooled}, else {@link #FULL}: for options that are flags. */
  public static OutputSize of(boolean pooled) {
    return pooled ? POOLED : FULL;
  }

  /** True for {@link #POOLED}. */
  public boolean pooled() {
    return this == POOLED;
  }
}
