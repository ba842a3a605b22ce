package dev.psp.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.EncoderType;
import dev.psp.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The declared state_dict of every pSp configuration equals the official manifest (keys, order,
 * shapes, dtypes), and the parameter/buffer split reproduces the official parameter counts.
 */
class StateDictSpecManifestTest {

  static Stream<String> configs() throws IOException {
    Path dir = Fixtures.path("manifests");
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".opts.json"))
          .map(n -> n.substring(0, n.length() - ".opts.json".length()))
          .sorted()
          .forEach(names::add);
    }
    assertThat(names).contains("ffhq_encode_1024", "ffhq_encode_256", "w_encoder_1024",
        "naive_wplus_1024", "sketch_1024", "segmentation_1024");
    return names.stream();
  }

  static PspNetwork network(String config) throws IOException {
    String opts = Files.readString(Fixtures.path("manifests/" + config + ".opts.json"));
    return new PspNetwork(intField(opts, "output_size"), intField(opts, "input_nc"),
        EncoderType.fromOfficialName(stringField(opts, "encoder_type")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void declaredKeysShapesAndDtypesEqualTheManifest(String config) throws IOException {
    PspNetwork net = network(config);
    StateDictSpec spec = net.stateDictSpec();
    List<String> lines = Files.readAllLines(
        Fixtures.path("manifests/" + config + ".state_dict.tsv"));
    assertThat(lines.get(0)).isEqualTo("name\tshape\tdtype");
    List<String> expected = lines.subList(1, lines.size()).stream()
        .filter(l -> !l.isBlank()).toList();
    List<String> actual = spec.entries().stream()
        .map(e -> e.key() + "\t" + Arrays.toString(e.shape()) + "\t"
            + e.dtype().name().toLowerCase())
        .toList();
    assertThat(actual).containsExactlyElementsOf(expected);
    System.out.println(config + ": " + net + " -> " + spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void parameterAndBufferCountsEqualTheOfficialModuleCounts(String config) throws IOException {
    StateDictSpec spec = network(config).stateDictSpec();
    int rows = 0;
    for (String line : Files.readAllLines(Fixtures.path("manifests/param_counts.tsv"))) {
      String[] f = line.split("\t");
      if (!f[0].equals(config)) {
        continue;
      }
      String module = f[1];
      String prefix = module.equals("pSp") ? "" : module.startsWith("pSp.")
          ? module.substring(4) + "." : module + ".";
      List<StateDictSpec.Entry> sub = spec.entries().stream()
          .filter(e -> e.key().startsWith(prefix)).toList();
      long params = sub.stream().filter(StateDictSpec.Entry::isParameter)
          .mapToLong(StateDictSpec.Entry::numel).sum();
      long buffers = sub.stream().filter(e -> !e.isParameter())
          .mapToLong(StateDictSpec.Entry::numel).sum();
      assertThat(new long[] {params, buffers, sub.size()})
          .as("%s %s (params, buffer elements, entries)", config, module)
          .containsExactly(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
      rows++;
    }
    assertThat(rows).as("param_counts.tsv rows for " + config).isGreaterThan(10);
  }

  private static int intField(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("no integer field " + name);
    }
    return Integer.parseInt(m.group(1));
  }

  private static String stringField(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("no string field " + name);
    }
    return m.group(1);
  }
}
