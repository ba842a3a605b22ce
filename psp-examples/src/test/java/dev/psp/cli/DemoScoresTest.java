package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The numbers of {@code scores.json}: L2 and PSNR against area-averaged truths, and input following. */
class DemoScoresTest {
  private static BufferedImage solid(int size, int grey) {
    BufferedImage b = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        b.setRGB(x, y, grey * 0x010101);
      }
    }
    return b;
  }

  private static BufferedImage checkerboard(int size) {
    BufferedImage b = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        b.setRGB(x, y, ((x + y) % 2 == 0 ? 255 : 0) * 0x010101);
      }
    }
    return b;
  }

  @Test
  void outputsEqualToTheirTruthsScorePerfectlyAndFollowTheirInputsFully() {
    DemoScores s = DemoScores.of(List.of(solid(64, 0), solid(64, 255)), List.of(solid(256, 0), solid(256, 255)));
    assertThat(s.l2()).isZero();
    assertThat(s.psnr()).isInfinite();
    assertThat(s.inputFollowing()).isEqualTo(1.0, within(1e-12));
    assertThat(DemoScores.json(Map.of("m", s))).contains("\"psnr\": null").contains("\"input_following\": 1.0000");
  }

  @Test
  void oneOutputForEveryInputFollowsNothing() {
    DemoScores s = DemoScores.of(List.of(solid(64, 128), solid(64, 128)), List.of(solid(256, 0), solid(256, 255)));
    double v = 128 / 127.5 - 1;
    double l2 = ((v + 1) * (v + 1) + (v - 1) * (v - 1)) / 2;
    assertThat(s.l2()).isEqualTo(l2, within(1e-6));
    assertThat(s.psnr()).isEqualTo(10 * Math.log10(4 / l2), within(1e-4));
    assertThat(s.inputFollowing()).isZero();
  }

  @Test
  void truthsAreAreaAveragedToTheOutputSize() {
    // a pixel checkerboard averages to mid grey (0 in [-1, 1]); white is 1 away everywhere
    DemoScores s = DemoScores.of(List.of(solid(64, 255), solid(64, 255)), List.of(checkerboard(256), checkerboard(256)));
    assertThat(s.l2()).isEqualTo(1.0, within(1e-6));
    assertThat(s.psnr()).isEqualTo(10 * Math.log10(4), within(1e-4));
  }

  @Test
  void outputsLargerThanTheirTruthsAreAreaAveragedToTheTruthSize() {
    // an official 1024-px model on 256-px faces: a 1024-px checkerboard averages to mid grey at 256 px
    DemoScores s = DemoScores.of(List.of(checkerboard(1024), checkerboard(1024)), List.of(solid(256, 255), solid(256, 255)));
    assertThat(s.l2()).isEqualTo(1.0, within(1e-6));
    DemoScores same = DemoScores.of(List.of(solid(512, 0), solid(512, 255)), List.of(solid(256, 0), solid(256, 255)));
    assertThat(same.l2()).isZero();
    assertThat(same.inputFollowing()).isEqualTo(1.0, within(1e-12));
  }

  @Test
  void jsonHasOneEntryPerModelInOrder() {
    Map<String, DemoScores> m = new LinkedHashMap<>();
    m.put("ffhq_encode", new DemoScores(0.025, 22.04, 0.9, 16));
    m.put("restyle", new DemoScores(0.5, 9.03, 0.25, 16));
    assertThat(DemoScores.json(m)).isEqualTo("""
        {
          "ffhq_encode": {"l2": 0.025000, "psnr": 22.040, "input_following": 0.9000, "pairs": 16},
          "restyle": {"l2": 0.500000, "psnr": 9.030, "input_following": 0.2500, "pairs": 16}
        }
        """);
  }

  @Test
  void mismatchedListsAreRefused() {
    assertThatThrownBy(() -> DemoScores.of(List.of(solid(64, 0)), List.of(solid(256, 0))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two");
    assertThatThrownBy(() -> DemoScores.of(List.of(solid(60, 0), solid(60, 0)), List.of(solid(256, 0), solid(256, 0))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be area-averaged to 60");
  }

  @Test
  void theMeanOfSeveralRunsAveragesL2AndInputFollowingAndRecomputesPsnr() {
    DemoScores a = new DemoScores(0.01, 26.0, 0.2, 16);
    DemoScores b = new DemoScores(0.03, 21.2, 0.6, 16);
    DemoScores m = DemoScores.mean(List.of(a, b));
    assertThat(m.l2()).isCloseTo(0.02, within(1e-12));
    assertThat(m.psnr()).isCloseTo(10 * Math.log10(4 / 0.02), within(1e-9));
    assertThat(m.inputFollowing()).isCloseTo(0.4, within(1e-12));
    assertThat(m.pairs()).isEqualTo(16);
    assertThatThrownBy(() -> DemoScores.mean(List.of(a, new DemoScores(0.01, 26.0, 0.2, 8))))
        .hasMessageContaining("pairs");
    assertThatThrownBy(() -> DemoScores.mean(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
