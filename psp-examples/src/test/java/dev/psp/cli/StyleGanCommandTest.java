package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.cli.PspCliTest.Run;
import dev.psp.training.gan.StyleGan2Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code psp train-stylegan --until-step}: an interrupted run finishes as one, a finished run trains nothing. */
class StyleGanCommandTest {
  @TempDir Path dir;

  private static Run train(Path out, String... length) {
    String[] base = {"train-stylegan", "-o", out.toString(), "--size", "16", "--width-divisor", "32", "--n-mlp", "2",
        "--batch", "2", "--faces", "16", "--save-every", "1"};
    String[] args = java.util.Arrays.copyOf(base, base.length + length.length);
    System.arraycopy(length, 0, args, base.length, length.length);
    return PspCliTest.psp(args);
  }

  @Test
  void untilStepResumesToTheSameWeightsAsOneRunAndThenTrainsNothing() throws Exception {
    Path oneRun = dir.resolve("one.pt");
    Path resumed = dir.resolve("resumed.pt");
    Run r = train(oneRun, "--steps", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(train(resumed, "--until-step", "1").code()).isZero(); // as if stopped after one step
    r = train(resumed, "--until-step", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("from step 1").contains("trained steps 1..2");

    StyleGan2Checkpoint a = StyleGan2Checkpoint.read(oneRun);
    StyleGan2Checkpoint b = StyleGan2Checkpoint.read(resumed);
    assertThat(b.step()).isEqualTo(3).isEqualTo(a.step());
    for (String key : a.gEma().keySet()) {
      assertThat(b.gEma().get(key).toFloatArray()).as(key).containsExactly(a.gEma().get(key).toFloatArray());
    }
    for (String key : a.d().keySet()) {
      assertThat(b.d().get(key).toFloatArray()).as(key).containsExactly(a.d().get(key).toFloatArray());
    }

    byte[] before = Files.readAllBytes(resumed);
    r = train(resumed, "--until-step", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("has 3 steps, --until-step 3: nothing to train");
    assertThat(Files.readAllBytes(resumed)).isEqualTo(before);
  }

  @Test
  void stepsAndUntilStepExcludeEachOther() {
    Run r = train(dir.resolve("x.pt"), "--steps", "2", "--until-step", "2");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("mutually exclusive");
    r = train(dir.resolve("x.pt"), "--until-step", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("must be >= 1, got 0");
    assertThat(dir.resolve("x.pt")).doesNotExist();
  }
}
