package dev.psp;

/**
 * The encoder family a checkpoint belongs to, which decides how it infers: pSp and e4e encode once;
 * ReStyle refines its code over several steps ({@link PspModel#refine}).
 */
public enum ModelFamily {
  /** pixel2style2pixel (Richardson et al. 2021). */
  PSP("pSp"),
  /** encoder4editing (Tov et al. 2021): one pass, codes near W for editing. */
  E4E("e4e"),
  /** ReStyle over pSp (Alaluf et al. 2021): iterative residual refinement. */
  RESTYLE_PSP("ReStyle-pSp"),
  /** ReStyle over e4e. */
  RESTYLE_E4E("ReStyle-e4e");

  private final String displayName;

  ModelFamily(String displayName) {
    this.displayName = displayName;
  }

  /** The family's usual name, e.g. {@code ReStyle-e4e}. */
  public String displayName() {
    return displayName;
  }

  /** True for ReStyle: inference is iterative refinement from the average image. */
  public boolean isIterative() {
    return this == RESTYLE_PSP || this == RESTYLE_E4E;
  }

  /** The family of an encoder type, iterative or not. */
  static ModelFamily of(EncoderType type, boolean iterative) {
    if (iterative || type.isReStyle()) {
      return type.isProgressive() ? RESTYLE_E4E : RESTYLE_PSP;
    }
    return type == EncoderType.ENCODER4EDITING ? E4E : PSP;
  }
}
