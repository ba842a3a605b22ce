package dev.psp.nn.encoder;

/** The three encoder architectures of pSp, named as in {@code opts.encoder_type}. */
public enum EncoderType {
  /** The pSp encoder: IR-SE-50 with a feature pyramid and one map2style head per style. */
  GRADUAL_STYLE_ENCODER("GradualStyleEncoder"),
  /** Ablation: global-pooled last layer into a single W code ({@code learn_in_w}). */
  BACKBONE_ENCODER_USING_LAST_LAYER_INTO_W("BackboneEncoderUsingLastLayerIntoW"),
  /** Ablation: last layer through {@code output_layer_2} into all W+ rows at once. */
  BACKBONE_ENCODER_USING_LAST_LAYER_INTO_WPLUS("BackboneEncoderUsingLastLayerIntoWPlus");

  private final String officialName;

  EncoderType(String officialName) {
    this.officialName = officialName;
  }

  /** The official class name. */
  public String officialName() {
    return officialName;
  }

  /** The type for an official class name; the error lists the known names. */
  public static EncoderType fromOfficialName(String name) {
    for (EncoderType t : values()) {
      if (t.officialName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown encoder_type '" + name + "'; known: "
        + GRADUAL_STYLE_ENCODER.officialName + ", " + BACKBONE_ENCODER_USING_LAST_LAYER_INTO_W.officialName
        + ", " + BACKBONE_ENCODER_USING_LAST_LAYER_INTO_WPLUS.officialName);
  }

  /** Builds this encoder with keys under {@code prefix} (e.g. {@code encoder.}). */
  public Encoder create(String prefix, int inputNc, int nStyles) {
    return switch (this) {
      case GRADUAL_STYLE_ENCODER -> new GradualStyleEncoder(prefix, inputNc, nStyles);
      case BACKBONE_ENCODER_USING_LAST_LAYER_INTO_W ->
          new BackboneEncoderUsingLastLayerIntoW(prefix, inputNc, nStyles);
      case BACKBONE_ENCODER_USING_LAST_LAYER_INTO_WPLUS ->
          new BackboneEncoderUsingLastLayerIntoWPlus(prefix, inputNc, nStyles);
    };
  }

  @Override
  public String toString() {
    return officialName;
  }
}
