package dev.psp.testing;

import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One folder of full-size references made by {@code psp-api/src/test/python/fixtures/make_reference.py}: a random
 * official-format checkpoint ({@code psp_random_*.pt}), the official outputs for it as {@code .npy}
 * files and an {@code index.json} describing the run. The folders are found under the directory named
 * by {@code -Dpsp.reference.dir}; parity tests take them as
 * {@code @MethodSource("dev.psp.testing.ReferenceCase#all")}.
 *
 * @param dir the reference folder
 */
public record ReferenceCase(Path dir) {
  /** The system property naming the folder that holds the reference folders. */
  public static final String DIR_PROPERTY = "psp.reference.dir";

  /** Every folder with an {@code index.json} under {@code -Dpsp.reference.dir}, sorted by name. */
  public static Stream<ReferenceCase> all() throws IOException {
    String dir = System.getProperty(DIR_PROPERTY);
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException("set -D" + DIR_PROPERTY + " to the folder holding make_reference.py outputs");
    }
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      return s.filter(p -> Files.isRegularFile(p.resolve("index.json"))).sorted().map(ReferenceCase::new)
          .toList().stream();
    }
  }

  /** The folder's name, e.g. {@code s256_nc3}. */
  public String name() {
    return dir.getFileName().toString();
  }

  /** The random official-format checkpoint (zip format, not the {@code _legacy} copy). */
  public Path checkpoint() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("psp_random_.*\\d\\.pt")).findFirst()
          .orElseThrow(() -> new IllegalStateException(dir + " has no psp_random_*.pt; run make_reference.py again"));
    }
  }

  /** Whether the folder has {@code <name>.npy}. */
  public boolean has(String name) {
    return Files.exists(dir.resolve(name + ".npy"));
  }

  /** Reads {@code <name>.npy}. */
  public TensorData read(String name) throws IOException {
    return Npy.read(dir.resolve(name + ".npy"));
  }

  /**
   * The float32 noise floor written by {@code float64_reference.py} ({@code float32_spread.json}:
   * the official image's largest distance from float64 under one-ulp input perturbations), or 0.
   */
  public double float32Spread() throws IOException {
    Path f = dir.resolve("float32_spread.json");
    if (!Files.exists(f)) {
      return 0;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"image_full\":\\s*([0-9.eE+-]+)")
        .matcher(Files.readString(f));
    if (!m.find()) {
      throw new IOException(f + " has no image_full value");
    }
    return Double.parseDouble(m.group(1));
  }

  /** {@code latent_mask} of index.json: the W+ rows the style-mixing reference replaced. */
  public int[] latentMask() throws IOException {
    Matcher m = Pattern.compile("\"latent_mask\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(index());
    if (!m.find()) {
      throw new IllegalStateException(dir.resolve("index.json") + " has no latent_mask");
    }
    return Stream.of(m.group(1).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

  /** {@code mix_alpha} of index.json: the style-mixing weight of the injected code. */
  public double mixAlpha() throws IOException {
    Matcher m = Pattern.compile("\"mix_alpha\"\\s*:\\s*([^,}\\]]+)").matcher(index());
    if (!m.find()) {
      throw new IllegalStateException(dir.resolve("index.json") + " has no mix_alpha");
    }
    return Double.parseDouble(m.group(1).trim());
  }

  private String index() throws IOException {
    return Files.readString(dir.resolve("index.json"));
  }

  /** The folder's path (JUnit shows it as the name of a parameterised case). */
  @Override
  public String toString() {
    return dir.toString();
  }
}
