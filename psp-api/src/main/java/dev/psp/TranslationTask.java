package dev.psp;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The image-to-image tasks of the paper. Each knows its input kind (and so its channels and
 * preprocessing), the official {@code dataset_type}, and the official pretrained file name.
 */
public enum TranslationTask {
  /** StyleGAN inversion of real faces (FFHQ). */
  INVERSION(InputKind.RGB, "ffhq_encode", "psp_ffhq_encode.pt", "ffhq_encode", "encode", "inversion"),
  /** Face frontalization. */
  FRONTALIZATION(InputKind.RGB, "ffhq_frontalize", "psp_ffhq_frontalization.pt",
      "ffhq_frontalize", "frontalization", "frontalize"),
  /** Sketch (line drawing) to face. */
  SKETCH_TO_FACE(InputKind.SKETCH, "celebs_sketch_to_face", "psp_celebs_sketch_to_face.pt",
      "celebs_sketch_to_face", "sketch", "sketch-to-face"),
  /** Segmentation map (19 CelebAMask-HQ classes) to face. */
  SEGMENTATION_TO_FACE(InputKind.SEGMENTATION, "celebs_seg_to_face", "psp_celebs_seg_to_face.pt",
      "celebs_seg_to_face", "segmentation", "seg-to-face", "segmentation-to-face"),
  /** Super-resolution from inputs downsampled by 1 to 32. */
  SUPER_RESOLUTION(InputKind.RGB, "celebs_super_resolution", "psp_celebs_super_resolution.pt",
      "celebs_super_resolution", "super-resolution", "superres", "super_resolution"),
  /** Inpainting of masked regions (the paper's experiment; no official pretrained file). */
  INPAINTING(InputKind.RGB, null, null, "inpainting"),
  /** Toonify: faces into the toon domain of a fine-tuned generator. */
  TOONIFY(InputKind.RGB, "ffhq_encode", "psp_ffhq_toonify.pt", "toonify", "ffhq_toonify");

  /** What an input image is and how the official code turns it into a tensor (the transforms of the official {@code configs/transforms_config.py}). */
  public enum InputKind {
    /** RGB photo: resize to 256, scale to [-1,1]. 3 channels. */
    RGB(3),
    /** Grayscale sketch: convert to L, resize to 256, scale to [0,1] (no normalisation). 1 channel. */
    SKETCH(1),
    /** Label map with ids 0..18: resize to 256, one-hot to 19 channels. */
    SEGMENTATION(19);

    private final int channels;

    InputKind(int channels) {
      this.channels = channels;
    }

    /** Channels of the encoder input. */
    public int channels() {
      return channels;
    }
  }

  private final InputKind inputKind;
  private final String datasetType;
  private final String officialFile;
  private final List<String> names;

  TranslationTask(InputKind inputKind, String datasetType, String officialFile, String... names) {
    this.inputKind = inputKind;
    this.datasetType = datasetType;
    this.officialFile = officialFile;
    this.names = List.of(names);
  }

  /** How inputs are preprocessed. */
  public InputKind inputKind() {
    return inputKind;
  }

  /** Channels of the encoder input ({@code input_nc}). */
  public int inputNc() {
    return inputKind.channels();
  }

  /** The official {@code dataset_type}, if the official code has one. */
  public Optional<String> datasetType() {
    return Optional.ofNullable(datasetType);
  }

  /** The official pretrained file name, e.g. {@code psp_celebs_sketch_to_face.pt}. */
  public Optional<String> officialFile() {
    return Optional.ofNullable(officialFile);
  }

  /** The official model name first, then the short aliases accepted by {@link Psp#load(String)}. */
  public List<String> names() {
    return names;
  }

  /** The task a model name or alias stands for (case-insensitive), if any. */
  public static Optional<TranslationTask> forName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (TranslationTask t : values()) {
      if (t.names.contains(n)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * The task a checkpoint was trained for, from its opts: {@code dataset_type} first; a label_nc of 1
   * or 19 decides when the dataset type is unknown; otherwise inversion.
   */
  public static TranslationTask fromOpts(String datasetType, int labelNc) {
    if (datasetType != null) {
      for (TranslationTask t : values()) {
        if (datasetType.equals(t.datasetType) && t != TOONIFY) {
          return t;
        }
      }
    }
    if (labelNc == 1) {
      return SKETCH_TO_FACE;
    }
    if (labelNc > 1) {
      return SEGMENTATION_TO_FACE;
    }
    return INVERSION;
  }
}
