package dev.psp;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The encoders of pSp and its successors, named as in the official {@code encoder_type} option: pSp's
 * three (Richardson et al. 2021), e4e's {@code Encoder4Editing} (Tov et al. 2021) and ReStyle's four
 * backbone encoders (Alaluf et al. 2021).
 */
public enum EncoderType {
  /** The pSp encoder: IR-SE-50 with a feature pyramid and map2style heads into W+ (the paper's method). */
  GRADUAL_STYLE("GradualStyleEncoder", false, false),
  /** Ablation: the last backbone layer pooled into a single w (used with {@code learn_in_w}). */
  INTO_W("BackboneEncoderUsingLastLayerIntoW", false, false),
  /** Ablation: the last backbone layer through one linear layer into W+ ("naive W+"). */
  INTO_W_PLUS("BackboneEncoderUsingLastLayerIntoWPlus", false, false),
  /** e4e: pSp's pyramid, but one w from the coarse map plus a delta per row (codes that edit well). */
  ENCODER4EDITING("Encoder4Editing", false, true),
  /** ReStyle-pSp: IR-SE-50, every style from the final 16×16 map. */
  BACKBONE("BackboneEncoder", true, false),
  /** ReStyle-pSp on a ResNet-34 backbone. */
  RESNET_BACKBONE("ResNetBackboneEncoder", true, false),
  /** ReStyle-e4e: IR-SE-50, one w plus deltas, all from the final 16×16 map. */
  PROGRESSIVE_BACKBONE("ProgressiveBackboneEncoder", true, true),
  /** ReStyle-e4e on a ResNet-34 backbone. */
  RESNET_PROGRESSIVE_BACKBONE("ResNetProgressiveBackboneEncoder", true, true);

  private final String officialName;
  private final boolean restyle;
  private final boolean progressive;

  EncoderType(String officialName, boolean restyle, boolean progressive) {
    this.officialName = officialName;
    this.restyle = restyle;
    this.progressive = progressive;
  }

  /** The official class name, as stored in {@code opts['encoder_type']}. */
  public String officialName() {
    return officialName;
  }

  /** True for ReStyle's encoders, which only exist for iterative refinement. */
  public boolean isReStyle() {
    return restyle;
  }

  /** True for e4e's scheme: one w from the first head, each other head adds a delta to its row. */
  public boolean isProgressive() {
    return progressive;
  }

  /** True for the ResNet-34 backbones. */
  public boolean isResNet() {
    return this == RESNET_BACKBONE || this == RESNET_PROGRESSIVE_BACKBONE;
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
    throw new IllegalArgumentException("unknown encoder_type '" + name + "'; known: "
        + Arrays.stream(values()).map(EncoderType::officialName).collect(Collectors.joining(", ")));
  }
}
