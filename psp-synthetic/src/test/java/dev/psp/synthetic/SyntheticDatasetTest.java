package dev.psp.synthetic;

import static dev.psp.synthetic.FaceRendererTest.bytes;
import static dev.psp.synthetic.FaceRendererTest.pixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.TranslationTask;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dataset writer (official folder layout, pairs per task) and the contact sheet. */
class SyntheticDatasetTest {
  private static final long SEED = 5L;
  private static final int SIZE = 32;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"inversion", "frontalization", "sketch", "segmentation", "super_resolution", "inpainting"})
  void writesTheOfficialLayoutWithPairsThatReadBack(String taskName) throws IOException {
    SyntheticDataset.write(dir, taskName, 3, SIZE, SEED);
    TranslationTask task = TranslationTask.forName(taskName).orElseThrow();
    for (String split : List.of("train", "test")) {
      int count = split.equals("train") ? 3 : 1;
      long offset = split.equals("train") ? 0 : SyntheticDataset.TEST_OFFSET;
      assertThat(names(dir.resolve(split + "_source"))).isEqualTo(expectedNames(count));
      assertThat(names(dir.resolve(split + "_target"))).isEqualTo(expectedNames(count));
      for (int i = 0; i < count; i++) {
        String name = SyntheticDataset.fileName(i, count);
        BufferedImage source = ImageIO.read(dir.resolve(split + "_source").resolve(name).toFile());
        BufferedImage target = ImageIO.read(dir.resolve(split + "_target").resolve(name).toFile());
        assertThat(source.getWidth()).isEqualTo(SIZE);
        assertThat(target.getHeight()).isEqualTo(SIZE);
        SyntheticFace face = SyntheticFaces.sample(SEED, offset + i, SIZE);
        SyntheticFaces.Pair pair = SyntheticFaces.pair(task, SEED, offset + i, SIZE);
        assertThat(pixels(target)).isEqualTo(pixels(pair.target()));
        assertThat(pixels(source)).isEqualTo(pixels(pair.source()));
        switch (task) {
          case INVERSION, SUPER_RESOLUTION -> {
            assertThat(pixels(target)).isEqualTo(pixels(face.image()));
            assertThat(pixels(source)).isEqualTo(pixels(target));
          }
          case FRONTALIZATION -> {
            assertThat(pixels(source)).isEqualTo(pixels(face.image()));
            assertThat(pixels(target)).isEqualTo(pixels(face.frontal().image()));
          }
          case SKETCH_TO_FACE -> assertThat(bytes(source)).isEqualTo(bytes(face.sketch()));
          case SEGMENTATION_TO_FACE -> assertThat(bytes(source)).isEqualTo(face.labels());
          case INPAINTING -> {
            int[] s = pixels(source);
            int[] t = pixels(target);
            int hidden = 0;
            for (int k = 0; k < s.length; k++) {
              if (s[k] != t[k]) {
                assertThat(s[k] & 0xffffff).isEqualTo(MaskedFace.FILL);
                hidden++;
              }
            }
            assertThat(hidden).isPositive();
          }
          default -> throw new AssertionError(task);
        }
      }
    }
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("synthetic.properties"))) {
      props.load(r);
    }
    assertThat(props.getProperty("seed")).isEqualTo("5");
    assertThat(props.getProperty("size")).isEqualTo("32");
    assertThat(props.getProperty("train_count")).isEqualTo("3");
    assertThat(props.getProperty("task")).isEqualTo(task.name().toLowerCase());
  }

  @Test
  void equalArgumentsWriteEqualBytes() throws IOException {
    SyntheticDataset.write(dir.resolve("a"), "inpainting", 2, SIZE, SEED);
    SyntheticDataset.write(dir.resolve("b"), "inpainting", 2, SIZE, SEED);
    try (Stream<Path> files = Files.walk(dir.resolve("a"))) {
      for (Path a : files.filter(Files::isRegularFile).toList()) {
        Path b = dir.resolve("b").resolve(dir.resolve("a").relativize(a));
        assertThat(Files.readAllBytes(b)).as("%s", b).isEqualTo(Files.readAllBytes(a));
      }
    }
  }

  @Test
  void rejectsTasksWithoutSyntheticPairs() {
    assertThatThrownBy(() -> SyntheticDataset.write(dir, "toonify", 2, SIZE, SEED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inversion");
    assertThatThrownBy(() -> SyntheticDataset.write(dir, "cartoons", 2, SIZE, SEED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cartoons");
    assertThatThrownBy(() -> SyntheticDataset.write(dir, "inversion", 2, 8, SEED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
  }

  @Test
  void fileNamesSortInPairOrder() {
    assertThat(SyntheticDataset.fileName(7, 10)).isEqualTo("00007.png");
    assertThat(SyntheticDataset.fileName(7, 200_000)).isEqualTo("000007.png");
  }

  @Test
  void contactSheetHasSixTilesPerFace() {
    BufferedImage sheet = SyntheticContactSheet.render(SEED, 3, SIZE);
    assertThat(sheet.getWidth()).isEqualTo(2 * (6 * SIZE + 16));
    assertThat(sheet.getHeight()).isEqualTo(2 * (SIZE + 4));
    SyntheticFace first = SyntheticFaces.sample(SEED, 0, SIZE);
    assertThat(sheet.getRGB(5, 7)).isEqualTo(first.image().getRGB(5, 7));
    assertThat(sheet.getRGB(SIZE + 5, 7)).isEqualTo(first.colouredLabels().getRGB(5, 7));
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> expectedNames(int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> SyntheticDataset.fileName(i, count)).toList();
  }
}
