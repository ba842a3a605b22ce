package dev.psp.spark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Output names and per-image seeds, derived from the input alone so that they do not depend on how
 * Spark partitions or batches the data. Stateless.
 */
final class Names {
  private Names() {}

  /** The file name of a path or URI without its last extension: {@code file:/in/a.b.png} → {@code a.b}. */
  static String stem(String path) {
    String file = fileName(path);
    int dot = file.lastIndexOf('.');
    return dot <= 0 ? file : file.substring(0, dot);
  }

  /** The last part of a path or URI: {@code file:/in/a.b.png} → {@code a.b.png}. */
  static String fileName(String path) {
    String p = path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /**
   * The name of an input whose stem is shared with other inputs: {@code <stem>-<first 8 hex digits of
   * SHA-256(path)>}. {@link PspSpark#withOutputNames} applies it (in Spark SQL, with the same digest)
   * to every input of a colliding stem, compared without regard to case.
   */
  static String disambiguated(String path) {
    return stem(path) + "-" + sha256Hex(path).substring(0, 8);
  }

  /** SHA-256 of the UTF-8 bytes, in lower-case hex (what Spark SQL's {@code sha2(x, 256)} gives). */
  static String sha256Hex(String text) {
    return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A deterministic key of a list of inputs: 16 hex digits of SHA-256 over the paths, in order. */
  static String key(List<String> paths) {
    MessageDigest d = digest();
    for (String p : paths) {
      d.update(p.getBytes(StandardCharsets.UTF_8));
      d.update((byte) '\n');
    }
    return HexFormat.of().formatHex(d.digest()).substring(0, 16);
  }

  /**
   * The noise seed of one image: SplitMix64 of the base seed and a 64-bit FNV-1a hash of the output
   * name, so that an image's noise depends on the image alone.
   */
  static long noiseSeed(long base, String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    long z = base + 0x9E3779B97F4A7C15L * (h | 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
