package dev.psp.synthetic;

import java.util.Optional;

/**
 * Binary attributes of synthetic faces, read from their parameters: the labels that editing
 * directions are learned from and that {@link AttributeClassifier} is trained on.
 */
public enum FaceAttribute {
  /** Glasses (clear or dark lenses). */
  GLASSES(0.2, 0.3, 0.8, 0.55),
  /** Hair below the chin (bob or long) against bald, short or fringe. */
  LONG_HAIR(0, 0, 1, 1),
  /** A clear smile (curvature above 0.6) against a flat or sad mouth (below 0.1); in between is unlabelled. */
  SMILE(0.3, 0.5, 0.7, 0.75);

  private final double[] region;

  FaceAttribute(double x0, double y0, double x1, double y1) {
    this.region = new double[] {x0, y0, x1, y1};
  }

  /**
   * Where the attribute shows in a synthetic face image, as fractions of its side: {@code {x0, y0,
   * x1, y1}} (the eye band for glasses, the mouth for a smile, everything for hair).
   */
  public double[] region() {
    return region.clone();
  }

  /** The attribute's label for a face, or empty when the face is in the unlabelled middle. */
  public Optional<Boolean> label(FaceParams p) {
    return switch (this) {
      case GLASSES -> Optional.of(p.accessories().glasses());
      case LONG_HAIR -> Optional.of(p.hair().style() == FaceParams.HairStyle.BOB
          || p.hair().style() == FaceParams.HairStyle.LONG);
      case SMILE -> p.mouth().smile() > 0.6 ? Optional.of(true)
          : p.mouth().smile() < 0.1 ? Optional.of(false) : Optional.empty();
    };
  }

  /** The name in lower case with a hyphen, e.g. {@code long-hair}. */
  public String displayName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
