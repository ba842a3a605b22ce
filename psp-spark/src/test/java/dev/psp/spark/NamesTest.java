package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void stemsAreFileNamesWithoutTheLastExtension() {
    assertThat(Names.stem("file:/in/a.png")).isEqualTo("a");
    assertThat(Names.stem("hdfs://nn:8020/x/y/a.b.JPG")).isEqualTo("a.b");
    assertThat(Names.stem("/in/noext")).isEqualTo("noext");
    assertThat(Names.stem("/in/.hidden")).isEqualTo(".hidden");
    assertThat(Names.stem("file:/in/with space.png")).isEqualTo("with space");
  }

  @Test
  void disambiguatedNamesAppendEightHexDigitsOfThePathsSha256() {
    // sha256("file:/in/a.png") as Spark SQL's sha2(path, 256) prints it
    assertThat(Names.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Names.disambiguated("file:/in/a.png")).matches("a-[0-9a-f]{8}")
        .isNotEqualTo(Names.disambiguated("file:/in/a.jpg"));
  }

  @Test
  void partKeysDependOnThePathsAndTheirOrder() {
    assertThat(Names.key(List.of("a", "b"))).hasSize(16).isEqualTo(Names.key(List.of("a", "b")))
        .isNotEqualTo(Names.key(List.of("b", "a"))).isNotEqualTo(Names.key(List.of("ab")));
  }

  @Test
  void noiseSeedsDependOnTheBaseSeedAndTheName() {
    assertThat(Names.noiseSeed(1, "a")).isEqualTo(Names.noiseSeed(1, "a")).isNotEqualTo(Names.noiseSeed(2, "a"))
        .isNotEqualTo(Names.noiseSeed(1, "b"));
  }
}
