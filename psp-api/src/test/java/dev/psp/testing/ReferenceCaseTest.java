package dev.psp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding reference folders and reading what make_reference.py wrote into them. */
class ReferenceCaseTest {
  @TempDir Path root;

  Path folder(String name, String index) throws Exception {
    Path d = Files.createDirectories(root.resolve(name));
    Files.writeString(d.resolve("index.json"), index);
    return d;
  }

  @Test
  void findsTheFoldersWithAnIndexSortedByName() throws Exception {
    folder("s256_nc3", "{}");
    folder("s1024_nc3", "{}");
    Files.createDirectories(root.resolve("exp"));
    String old = System.getProperty(ReferenceCase.DIR_PROPERTY);
    try {
      System.setProperty(ReferenceCase.DIR_PROPERTY, root.toString());
      assertThat(ReferenceCase.all().map(ReferenceCase::name)).containsExactly("s1024_nc3", "s256_nc3");
      System.setProperty(ReferenceCase.DIR_PROPERTY, " ");
      assertThatThrownBy(ReferenceCase::all).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("-Dpsp.reference.dir");
    } finally {
      if (old == null) {
        System.clearProperty(ReferenceCase.DIR_PROPERTY);
      } else {
        System.setProperty(ReferenceCase.DIR_PROPERTY, old);
      }
    }
  }

  @Test
  void readsTheCheckpointTensorsAndMixingSettings() throws Exception {
    Path d = folder("s256_nc1", "{\n \"meta\": {\"seed\": 1234},\n \"latent_mask\": [ 8, 9,10 ],\n"
        + " \"mix_alpha\": 0.5,\n \"n\": 1\n}");
    Files.writeString(d.resolve("psp_random_s256_nc1_legacy.pt"), "");
    Files.writeString(d.resolve("psp_random_s256_nc1.pt"), "");
    Npy.write(d.resolve("codes.npy"), TensorData.ofFloats(new float[] {1, 2, 3, 4}, 2, 2));
    ReferenceCase ref = new ReferenceCase(d);
    assertThat(ref.checkpoint().getFileName()).hasToString("psp_random_s256_nc1.pt");
    assertThat(ref.latentMask()).containsExactly(8, 9, 10);
    assertThat(ref.mixAlpha()).isEqualTo(0.5);
    assertThat(ref.has("codes")).isTrue();
    assertThat(ref.has("image_full_f64")).isFalse();
    assertThat(ref.read("codes").toFloatArray()).containsExactly(1, 2, 3, 4);
    assertThat(ref).hasToString(d.toString());
  }

  @Test
  void aFolderWithoutItsFilesSaysWhatIsMissing() throws Exception {
    ReferenceCase ref = new ReferenceCase(folder("broken", "{\"meta\": {}}"));
    assertThatThrownBy(ref::checkpoint).isInstanceOf(IllegalStateException.class).hasMessageContaining("psp_random_");
    assertThatThrownBy(ref::latentMask).isInstanceOf(IllegalStateException.class).hasMessageContaining("latent_mask");
    assertThatThrownBy(ref::mixAlpha).isInstanceOf(IllegalStateException.class).hasMessageContaining("mix_alpha");
  }
}
