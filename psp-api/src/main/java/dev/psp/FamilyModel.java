package dev.psp;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The official FFHQ inversion checkpoints of pSp's successors, loadable by name like the pSp models
 * ({@link ModelRegistry}): e4e's and ReStyle's. Their files are searched in the same folders; ReStyle
 * over pSp has a bundled demo model standing in for a missing official file.
 */
public enum FamilyModel {
  /** encoder4editing's FFHQ encoder. */
  E4E(List.of("e4e_ffhq_encode", "e4e"), "e4e_ffhq_encode.pt", null,
      "https://github.com/omertov/encoder4editing#pretrained-models"),
  /** ReStyle over pSp, FFHQ. */
  RESTYLE_PSP(List.of("restyle_psp_ffhq_encode", "restyle"), "restyle_psp_ffhq_encode.pt", "demo_restyle_inversion.pt",
      "https://github.com/yuval-alaluf/restyle-encoder#pretrained-models"),
  /** ReStyle over e4e, FFHQ. */
  RESTYLE_E4E(List.of("restyle_e4e_ffhq_encode", "restyle-e4e"), "restyle_e4e_ffhq_encode.pt", null,
      "https://github.com/yuval-alaluf/restyle-encoder#pretrained-models");

  private final List<String> names;
  private final String officialFile;
  private final String bundledFile;
  private final String url;

  FamilyModel(List<String> names, String officialFile, String bundledFile, String url) {
    this.names = names;
    this.officialFile = officialFile;
    this.bundledFile = bundledFile;
    this.url = url;
  }

  /** The official name first, then the short alias. */
  public List<String> names() {
    return names;
  }

  /** The official checkpoint's file name. */
  public String officialFile() {
    return officialFile;
  }

  /** The bundled demo model's file name, if the SDK ships one. */
  public Optional<String> bundledFile() {
    return Optional.ofNullable(bundledFile);
  }

  /** Where the official file is published. */
  public String url() {
    return url;
  }

  /** The task: these are all inversion models. */
  public TranslationTask task() {
    return TranslationTask.INVERSION;
  }

  /** The model of a name or alias (case-insensitive). */
  public static Optional<FamilyModel> forName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (FamilyModel m : values()) {
      if (m.names.contains(n)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
