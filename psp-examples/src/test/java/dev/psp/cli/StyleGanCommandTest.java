package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.cli.PspCliTest.Run;
import dev.psp.training.gan.StyleGan2Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code psp train-stylegan}: an interrupted run finishes as one, a finished run trains nothing, a resumed
 * run keeps its checkpoint's settings.
 */
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
  void aResumedRunKeepsTheCheckpointsSettingsAndRejectsOthers() throws Exception {
    Path full = dir.resolve("full.pt");
    Path bare = dir.resolve("bare.pt");
    assertThat(train(full, "--steps", "1", "--seed", "4").code()).isZero();
    Files.copy(full, bare);
    assertThat(StyleGan2Checkpoint.read(full).options().faces()).isEqualTo(16);

    Run r = train(full, "--until-step", "2", "--seed", "4"); // the same flags again
    assertThat(r.code()).as(r.err()).isZero();
    r = PspCliTest.psp("train-stylegan", "-o", bare.toString(), "--until-step", "2"); // none: 64 px, 50000 faces, seed 0
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("StyleGAN2 16px").contains("trained steps 1..1");
    StyleGan2Checkpoint a = StyleGan2Checkpoint.read(full);
    StyleGan2Checkpoint b = StyleGan2Checkpoint.read(bare);
    assertThat(b.options()).isEqualTo(a.options());
    for (String key : a.g().keySet()) { // step 1 drew the same faces: 16 of seed 4 at 16 px
      assertThat(b.g().get(key).toFloatArray()).as(key).containsExactly(a.g().get(key).toFloatArray());
    }

    byte[] before = Files.readAllBytes(bare);
    r = PspCliTest.psp("train-stylegan", "-o", bare.toString(), "--until-step", "3", "--size", "32", "--lr", "0.01",
        "--batch", "2", "--faces", "20");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("holds a StyleGAN2 at step 2 trained with other settings")
        .contains("--size 32 (the checkpoint has 16)").contains("--lr 0.01 (the checkpoint has 0.002)")
        .contains("--faces 20 (the checkpoint has 16)").doesNotContain("--batch")
        .contains("give a new --output");
    assertThat(Files.readAllBytes(bare)).isEqualTo(before);
  }

  @Test
  void anArchitectureItCannotBuildIsAUsageError() {
    String[][] cases = {
        {"--size", "17", "size must be a power of two in [8, 1024], got 17"},
        {"--width-divisor", "0", "width divisor must be a power of two in [1, 64], got 0"}};
    for (String[] c : cases) {
      Run r = PspCliTest.psp("train-stylegan", "-o", dir.resolve("bad.pt").toString(), "--steps", "1", c[0], c[1]);
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains(c[2]).contains("Try 'psp train-stylegan --help'");
    }
    assertThat(dir.resolve("bad.pt")).doesNotExist();
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

  @Test
  void oversamplingIsRecordedAndMayChangeOnResume() throws Exception {
    Path out = dir.resolve("o.pt");
    Run r = train(out, "--steps", "1", "--oversample", "glasses=3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(StyleGan2Checkpoint.read(out).options().oversampling().toString()).isEqualTo("glasses=3");
    r = train(out, "--until-step", "2"); // not given: kept
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("oversampling changes");
    assertThat(StyleGan2Checkpoint.read(out).options().oversampling().toString()).isEqualTo("glasses=3");
    r = train(out, "--until-step", "3", "--oversample", "smile=2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("oversampling changes from 'glasses=3' to 'smile=2' at step 2");
    StyleGan2Checkpoint c = StyleGan2Checkpoint.read(out);
    assertThat(c.step()).isEqualTo(3);
    assertThat(c.options().oversampling().toString()).isEqualTo("smile=2");

    byte[] before = Files.readAllBytes(out);
    r = train(out, "--until-step", "4", "--oversample", "hats=2");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--oversample: oversampling 'hats=2'").contains("e.g. glasses=3");
    assertThat(Files.readAllBytes(out)).isEqualTo(before);
  }
}
