package dev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @AfterEach
  void clearProperty() {
    System.clearProperty("psp.models.dir");
  }

  @Test
  void aliasesResolveToTheOfficialFiles(@TempDir Path dir) throws Exception {
    String[][] cases = {
        {"sketch", "psp_celebs_sketch_to_face.pt"}, {"celebs_sketch_to_face", "psp_celebs_sketch_to_face.pt"},
        {"encode", "psp_ffhq_encode.pt"}, {"ffhq_encode", "psp_ffhq_encode.pt"},
        {"frontalization", "psp_ffhq_frontalization.pt"}, {"ffhq_frontalize", "psp_ffhq_frontalization.pt"},
        {"segmentation", "psp_celebs_seg_to_face.pt"}, {"celebs_seg_to_face", "psp_celebs_seg_to_face.pt"},
        {"super-resolution", "psp_celebs_super_resolution.pt"}, {"Toonify", "psp_ffhq_toonify.pt"},
    };
    for (String[] c : cases) {
      Files.write(dir.resolve(c[1]), new byte[] {1});
    }
    for (String[] c : cases) {
      ModelRegistry.Resolved r = ModelRegistry.resolve(c[0], Optional.of(dir));
      assertThat(r.file().getFileName().toString()).as(c[0]).isEqualTo(c[1]);
      assertThat(r.task()).isPresent();
    }
    assertThat(ModelRegistry.resolve("sketch", Optional.of(dir)).task()).contains(TranslationTask.SKETCH_TO_FACE);
  }

  @Test
  void explicitFolderWinsOverTheProperty(@TempDir Path a, @TempDir Path b) throws Exception {
    Files.write(a.resolve("psp_ffhq_encode.pt"), new byte[] {1});
    Files.write(b.resolve("psp_ffhq_encode.pt"), new byte[] {1});
    System.setProperty("psp.models.dir", b.toString());
    assertThat(ModelRegistry.resolve("encode", Optional.empty()).file().getParent()).isEqualTo(b);
    assertThat(ModelRegistry.resolve("encode", Optional.of(a)).file().getParent()).isEqualTo(a);
    assertThat(ModelRegistry.searchFolders(Optional.of(a))).startsWith(a.toAbsolutePath(), b.toAbsolutePath());
    assertThat(ModelRegistry.searchFolders(Optional.empty()).get(1).toString()).endsWith(".psp/models");
  }

  @Test
  void missingFileNamesTheFileTheFoldersAndWhereToGetIt(@TempDir Path dir) {
    // toonify has an official file but no bundled demo model
    assertThat(BundledModels.has(TranslationTask.TOONIFY)).isFalse();
    assertThatThrownBy(() -> ModelRegistry.resolve("toonify", Optional.of(dir)))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("psp_ffhq_toonify.pt")
        .hasMessageContaining(dir.toString())
        .hasMessageContaining(ModelRegistry.OFFICIAL_MODELS_URL)
        .hasMessageContaining("PSP_MODELS_DIR");
  }

  @Test
  void unknownNamesListTheKnownOnes() {
    assertThatThrownBy(() -> ModelRegistry.resolve("sketchy", Optional.empty()))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("unknown model 'sketchy'").hasMessageContaining("celebs_sketch_to_face");
    assertThatThrownBy(() -> ModelRegistry.resolve("/nope/x.pt", Optional.empty()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void aMissingOfficialFileFallsBackToTheBundledDemoModel(@TempDir Path dir, @TempDir Path cache) throws Exception {
    System.setProperty("psp.cache.dir", cache.toString());
    try {
      for (TranslationTask t : new TranslationTask[] {TranslationTask.SKETCH_TO_FACE, TranslationTask.INPAINTING}) {
        ModelRegistry.Resolved r = ModelRegistry.resolve(t.names().get(0), Optional.of(dir));
        assertThat(r.bundled()).as(t.name()).isTrue();
        assertThat(r.task()).contains(t);
        assertThat(r.file()).isRegularFile().hasFileName(BundledModels.fileName(t));
        assertThat(r.file().getParent().getParent()).isEqualTo(cache);
        assertThat(r.file().getParent().getFileName().toString()).matches("[0-9a-f]{16}");
        // extracted once, then reused
        assertThat(ModelRegistry.resolve(t.names().get(0), Optional.of(dir)).file()).isEqualTo(r.file());
      }
      // an official file in the folder wins over the bundled model
      Files.write(dir.resolve("psp_celebs_sketch_to_face.pt"), new byte[] {1});
      ModelRegistry.Resolved official = ModelRegistry.resolve("sketch", Optional.of(dir));
      assertThat(official.bundled()).isFalse();
      assertThat(official.file().getParent()).isEqualTo(dir);
    } finally {
      System.clearProperty("psp.cache.dir");
    }
  }

  @Test
  void aCachedCopyOfAnotherVersionWithTheSameNameAndSizeIsNotUsed(@TempDir Path dir, @TempDir Path cache)
      throws Exception {
    System.setProperty("psp.cache.dir", cache.toString());
    try {
      String name = BundledModels.fileName(TranslationTask.SKETCH_TO_FACE);
      byte[] bundled;
      try (java.io.InputStream in = BundledModels.class.getResourceAsStream(BundledModels.RESOURCE_DIR + name)) {
        bundled = in.readAllBytes();
      }
      // what an older SDK left: the same name and size, other weights
      Files.write(cache.resolve(name), new byte[bundled.length]);
      Files.createDirectories(cache.resolve("0123456789abcdef"));
      Files.write(cache.resolve("0123456789abcdef").resolve(name), new byte[bundled.length]);
      Path file = ModelRegistry.resolve("sketch", Optional.of(dir)).file();
      assertThat(Files.readAllBytes(file)).isEqualTo(bundled);
      assertThat(file.getParent().getFileName().toString()).isEqualTo(BundledModels.digest(bundled));
    } finally {
      System.clearProperty("psp.cache.dir");
    }
  }

  @Test
  void theE4eAndReStyleNamesFindTheirOfficialFilesOrTheBundledReStyleDemo(@TempDir Path dir, @TempDir Path cache)
      throws Exception {
    System.setProperty("psp.cache.dir", cache.toString());
    try {
      ModelRegistry.Resolved r = ModelRegistry.resolve("restyle", Optional.of(dir));
      assertThat(r.bundled()).isTrue();
      assertThat(r.file()).isRegularFile().hasFileName("demo_restyle_inversion.pt");
      assertThat(r.task()).contains(TranslationTask.INVERSION);
      assertThatThrownBy(() -> ModelRegistry.resolve("e4e", Optional.of(dir)))
          .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("e4e_ffhq_encode.pt")
          .hasMessageContaining("github.com/omertov/encoder4editing");
      Files.write(dir.resolve("restyle_e4e_ffhq_encode.pt"), new byte[] {1});
      ModelRegistry.Resolved official = ModelRegistry.resolve("RESTYLE_E4E_FFHQ_ENCODE", Optional.of(dir));
      assertThat(official.bundled()).isFalse();
      assertThat(official.file()).isEqualTo(dir.resolve("restyle_e4e_ffhq_encode.pt"));
      assertThat(ModelRegistry.knownNames()).contains("e4e", "restyle", "restyle-e4e");
    } finally {
      System.clearProperty("psp.cache.dir");
    }
  }

  @Test
  void aPathResolvesToItself(@TempDir Path dir) throws Exception {
    Path f = Files.write(dir.resolve("mine.pt"), new byte[] {1});
    assertThat(ModelRegistry.resolve(f.toString(), Optional.empty()).file()).isEqualTo(f);
  }

  @Test
  void thePropertyAndTheEnvironmentVariableAreBothSearchedInThatOrder(@TempDir Path tmp) {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    assertThat(ModelRegistry.searchFolders(Optional.of(a), Optional.of(b.toString()), Optional.of(c.toString())))
        .startsWith(a.toAbsolutePath(), b.toAbsolutePath(), c.toAbsolutePath()).hasSize(4);
  }
}
