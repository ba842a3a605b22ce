package dev.psp;

/** The three encoders of the paper, named as in the official {@code encoder_type} option. */
public enum EncoderType {
  /** The pSp encoder: IR-SE-50 with a feature pyramid and map2style heads into W+ (the paper's method). */
  GRADUAL_STYLE("GradualStyleEncoder"),
  /** Ablation: the last backbone layer pooled into a single w (used with {@code learn_in_w}). */
  INTO_W("BackboneEncoderUsingLastLayerIntoW"),
  /** Ablation: the last backbone layer through one linear layer into W+ ("naive W+"). */
  INTO_W_PLUS("BackboneEncoderUsingLastLayerIntoWPlus");

  private final String officialName;

  EncoderType(String officialName) {
    this.officialName = officialName;
  }

  /** The official class name, as stored in {@code opts['encoder_type']}. */
  public String officialName() {
    return officialName;
  }

  /**
   * The type for an official class name.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static EncoderType fromOfficialName(String name) {
    for (EncoderType t : values()) {
      if (t.officialName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown encoder_type '" + name + "'; known: GradualStyleEncoder, BackboneEncoderUsingLastLayerIntoW, "
            + "BackboneEncoderUsingLastLayerIntoWPlus");
  }
}
