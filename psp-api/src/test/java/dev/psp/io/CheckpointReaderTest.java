package dev.psp.io;

import static dev.psp.io.TensorAssertions.assertSameTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads the checkpoint samples of the shared fixtures and compares them with their expected content. */
class CheckpointReaderTest {
  private static final String DIR = "checkpoint_format/";

  @ParameterizedTest
  @ValueSource(strings = {"ckpt_zip.pt", "ckpt_zip_archive.pt", "ckpt_legacy.pt", "ckpt_zip_cuda_location.pt"})
  void everySampleHoldsTheExpectedCheckpoint(String name) throws Exception {
    assertExpectedCheckpoint(Fixtures.path(DIR + name));
  }

  @Test
  void deflatedEntriesReadLikeStoredOnes(@TempDir Path tmp) throws Exception {
    Path deflated = tmp.resolve("ckpt_deflated.pt");
    try (ZipFile in = new ZipFile(Fixtures.path(DIR + "ckpt_zip.pt").toFile());
        OutputStream file = Files.newOutputStream(deflated);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry e : in.stream().toList()) {
        out.putNextEntry(new ZipEntry(e.getName()));
        in.getInputStream(e).transferTo(out);
      }
    }
    assertExpectedCheckpoint(deflated);
  }

  @Test
  void rootIsTheWholeGraphAndSharesTheAccessorsTensors() throws Exception {
    try (Checkpoint ckpt = CheckpointReader.read(Fixtures.path(DIR + "ckpt_zip.pt"))) {
      Map<?, ?> root = (Map<?, ?>) ckpt.root();
      assertThat(new ArrayList<Object>(root.keySet())).containsExactly("state_dict", "opts", "latent_avg");
      Map<?, ?> stateDict = (Map<?, ?>) root.get("state_dict");
      Map<String, TensorData> weights = ckpt.stateDict();
      for (String key : weights.keySet()) {
        assertThat(stateDict.get(key)).as(key).isSameAs(weights.get(key));
      }
      assertThat(root.get("latent_avg")).isSameAs(ckpt.latentAvg().orElseThrow());
      assertThat(ckpt.path()).isEqualTo(Fixtures.path(DIR + "ckpt_zip.pt"));
    }
  }

  private static Map<String, TensorData> read(Path file, String setting, String value) throws Exception {
    if (setting != null) {
      System.setProperty(setting, value);
    }
    try (Checkpoint ckpt = CheckpointReader.read(file)) {
      return ckpt.stateDict();
    } finally {
      if (setting != null) {
        System.clearProperty(setting);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ckpt_zip.pt", "ckpt_legacy.pt"})
  void storagesAreReadIntoDirectMemoryByDefaultAndEveryModeReadsTheSameTensors(String name) throws Exception {
    Path file = Fixtures.path(DIR + name);
    Map<String, TensorData> direct = read(file, null, null);
    Map<String, TensorData> mapped = read(file, "psp.io.storage", "mmap");
    Map<String, TensorData> heap = read(file, "psp.io.storage", "heap");
    Map<String, TensorData> legacyHeap = read(file, "psp.io.mmap", "false");
    assertThat(direct).isNotEmpty();
    for (Map<String, TensorData> other : List.of(mapped, heap, legacyHeap)) {
      assertThat(other.keySet()).isEqualTo(direct.keySet());
      for (String key : direct.keySet()) {
        assertSameTensor(other.get(key), direct.get(key), key);
      }
    }
    for (String key : direct.keySet()) {
      assertThat(direct.get(key).isFileMapped()).as(key).isFalse();
      assertThat(heap.get(key).bytes().isDirect()).as(key).isFalse();
      assertThat(heap.get(key).isFileMapped()).as(key).isFalse();
    }
    // contiguous tensors are views of their storage: private direct buffers, or the mapped file's pages
    assertThat(direct.values().stream().filter(t -> t.bytes().isDirect()).count()).isPositive();
    assertThat(mapped.values().stream().filter(TensorData::isFileMapped).count()).isPositive();
    assertThat(mapped.values().stream().filter(TensorData::isFileMapped).allMatch(t -> t.bytes().isDirect()))
        .isTrue();
  }

  @Test
  void anInvalidStorageSettingNamesTheSettingAndTheChoices() {
    System.setProperty("psp.io.storage", "disk");
    try {
      assertThatThrownBy(() -> CheckpointReader.read(Fixtures.path(DIR + "ckpt_zip.pt")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("psp.io.storage").hasMessageContaining("PSP_IO_STORAGE")
          .hasMessageContaining("direct, mmap or heap").hasMessageContaining("'disk'");
    } finally {
      System.clearProperty("psp.io.storage");
    }
  }

  @Test
  void anInvalidMmapSettingNamesTheSetting() {
    System.setProperty("psp.io.mmap", "yes");
    try {
      assertThatThrownBy(() -> CheckpointReader.read(Fixtures.path(DIR + "ckpt_zip.pt")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("psp.io.mmap").hasMessageContaining("PSP_IO_MMAP").hasMessageContaining("'yes'");
    } finally {
      System.clearProperty("psp.io.mmap");
    }
  }

  @Test
  void closeIsIdempotentAndReturnedTensorsStayValid() throws Exception {
    Checkpoint ckpt = CheckpointReader.read(Fixtures.path(DIR + "ckpt_legacy.pt"));
    TensorData latent = ckpt.latentAvg().orElseThrow();
    ckpt.close();
    ckpt.close();
    assertSameTensor(latent, Npy.read(Fixtures.path(DIR + "expected/latent_avg.npy")), "latent_avg");
    assertThatThrownBy(ckpt::stateDict).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void aPlainStateDictFileIsItsOwnStateDict() throws Exception {
    try (Checkpoint ckpt = CheckpointReader.read(Fixtures.path("modules/upsample/state_dict.pt"))) {
      assertThat(ckpt.stateDict()).containsOnlyKeys("kernel");
      assertThat(ckpt.opts()).isEmpty();
      assertThat(ckpt.latentAvg()).isEmpty();
    }
  }

  /** Tensors (order, dtype, shape, bytes), latent_avg and opts as listed in the fixtures. */
  private static void assertExpectedCheckpoint(Path file) throws Exception {
    Map<?, ?> format = (Map<?, ?>) ((Map<?, ?>) index()).get("checkpoint_format");
    Map<?, ?> expected = (Map<?, ?>) format.get("state_dict_expected");
    try (Checkpoint ckpt = CheckpointReader.read(file)) {
      Map<String, TensorData> weights = ckpt.stateDict();
      assertThat(new ArrayList<>(weights.keySet())).containsExactlyElementsOf(stringKeys(expected));
      for (Map.Entry<?, ?> e : expected.entrySet()) {
        String npy = (String) ((Map<?, ?>) e.getValue()).get("npy");
        assertSameTensor(weights.get((String) e.getKey()), Npy.read(Fixtures.path(npy)), (String) e.getKey());
      }
      assertSameTensor(ckpt.latentAvg().orElseThrow(), Npy.read(Fixtures.path(DIR + "expected/latent_avg.npy")),
          "latent_avg");
      // JSON numbers with a point parse as Double, others as Long: the int/float types are compared too.
      @SuppressWarnings("unchecked")
      Map<String, Object> opts = (Map<String, Object>) MiniJson.parse(
          Files.readString(Fixtures.path(DIR + "expected_opts.json"), StandardCharsets.UTF_8));
      assertThat(ckpt.opts()).containsExactlyEntriesOf(opts);
    }
  }

  static Object index() throws IOException {
    return MiniJson.parse(Files.readString(Fixtures.path("index.json"), StandardCharsets.UTF_8));
  }

  private static List<String> stringKeys(Map<?, ?> map) {
    return map.keySet().stream().map(String.class::cast).toList();
  }
}
