package dev.psp.io;

import static dev.psp.io.TensorAssertions.assertSameTensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every {@code modules/<case>/state_dict.pt} of the fixtures matches its {@code params/*.npy}. */
class StateDictFilesTest {
  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(Fixtures.path("modules"))) {
      List<String> names = dirs.filter(d -> Files.exists(d.resolve("state_dict.pt")))
          .map(d -> d.getFileName().toString()).sorted().toList();
      assertThat(names).as("module cases with a state_dict.pt").hasSizeGreaterThan(20);
      return names.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void stateDictMatchesTheNpyFilesInIndexOrder(String name) throws Exception {
    Path dir = Fixtures.path("modules/" + name);
    Map<?, ?> stateDict = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) CheckpointReaderTest.index())
        .get("cases")).get(name)).get("state_dict");
    List<?> keys = (List<?>) stateDict.get("keys");
    try (Checkpoint ckpt = CheckpointReader.read(dir.resolve("state_dict.pt"));
        Stream<Path> params = Files.list(dir.resolve("params"))) {
      Map<String, TensorData> weights = ckpt.stateDict();
      assertThat(weights.keySet()).containsExactlyElementsOf(
          keys.stream().map(k -> (String) ((Map<?, ?>) k).get("key")).toList());
      List<Path> npys = params.toList();
      assertThat(npys).hasSameSizeAs(weights.keySet());
      for (Path npy : npys) {
        String key = npy.getFileName().toString().replaceFirst("\\.npy$", "");
        assertThat(weights).containsKey(key);
        assertSameTensor(weights.get(key), Npy.read(npy), name + "/" + key);
      }
    }
  }
}
