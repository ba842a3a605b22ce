package dev.psp.training.gan;

import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference files written by src/test/python/make_gan_fixtures.py from the official
 * StyleGAN2 code, read with the SDK's checkpoint reader.
 */
final class GanFixtures {
  private GanFixtures() {}

  /** The root dict of {@code gan/<name>}. */
  static Map<String, Object> load(String name) {
    try (Checkpoint c = CheckpointReader.read(path(name))) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) c.root()).forEach((k, v) -> out.put((String) k, v));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read fixture gan/" + name
          + "; regenerate with src/test/python/make_gan_fixtures.py", e);
    }
  }

  static Path path(String name) {
    try {
      return Path.of(GanFixtures.class.getResource("/gan/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource gan/" + name, e);
    }
  }

  static TensorData tensor(Map<String, Object> root, String key) {
    return (TensorData) root.get(key);
  }

  @SuppressWarnings("unchecked")
  static Map<String, TensorData> tensors(Map<String, Object> root, String key) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    ((Map<Object, Object>) root.get(key)).forEach((k, v) -> out.put((String) k, (TensorData) v));
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<TensorData> list(Map<String, Object> root, String key) {
    return (List<TensorData>) root.get(key);
  }

  static int intOf(Map<String, Object> root, String section, String key) {
    return ((Number) ((Map<?, ?>) root.get(section)).get(key)).intValue();
  }

  /** max |a - b|. */
  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  /** max |a|. */
  static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
