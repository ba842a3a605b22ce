package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.testing.TinyModels;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.nn.Architecture;
import dev.psp.synthetic.FaceAttribute;
import dev.psp.synthetic.SyntheticFaces;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code psp train} on synthetic sketches: official checkpoints, then a resumed second run. */
class TrainCommandTest {
  @TempDir Path dir;

  private String[] args(Path exp, Path gan, long maxSteps) {
    return new String[] {"train", "--exp-dir", exp.toString(), "--synthetic", "8",
        "-s", "dataset_type=celebs_sketch_to_face", "-s", "input_nc=1", "-s", "label_nc=1",
        "-s", "output_size=16", "-s", "sdk_width_divisor=16", "-s", "sdk_body_units=[1,1,1,1]",
        "-s", "sdk_n_mlp=2", "-s", "stylegan_weights=" + gan, "-s", "start_from_latent_avg=true",
        "-s", "batch_size=2", "-s", "test_batch_size=2", "-s", "lpips_lambda=0",
        "-s", "max_steps=" + maxSteps, "-s", "save_interval=2", "-s", "val_interval=100"};
  }

  @Test
  void trainsWritesOfficialCheckpointsAndResumes() throws Exception {
    Path gan = TinyModels.writeStyleGan(dir.resolve("gan.pt"), 16, new Architecture(16, List.of(1, 1, 1, 1), 2), 3,
        null);
    Path exp = dir.resolve("exp");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PspCli.run(args(exp, gan, 2), new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("training celebs_sketch_to_face at 16 px").contains("8 training pairs, 16 test pairs");
    assertThat(exp.resolve("checkpoints/iteration_2.pt")).exists();
    try (Checkpoint c = CheckpointReader.read(exp.resolve("checkpoints/iteration_2.pt"))) {
      assertThat(c.opts()).containsEntry("dataset_type", "celebs_sketch_to_face").containsEntry("input_nc", 1L)
          .containsEntry("max_steps", 2L);
      assertThat(c.stateDict()).containsKey("encoder.input_layer.0.weight");
    }

    StringWriter out2 = new StringWriter();
    code = PspCli.run(args(exp, gan, 4), new PrintWriter(out2, true), new PrintWriter(new StringWriter(), true));
    assertThat(code).isZero();
    assertThat(out2.toString()).contains("resuming at step 3");
    assertThat(exp.resolve("checkpoints/iteration_4.pt")).exists();
    assertThat(Files.readAllLines(exp.resolve("logs/train.jsonl")).stream()
        .filter(l -> l.contains("\"split\":\"train\"")).count()).isEqualTo(1); // board_interval 50: step 0 only
  }

  @Test
  void oversamplingCountsAFaceWithGlassesThreeTimesAndIsRecorded() throws Exception {
    Path gan = TinyModels.writeStyleGan(dir.resolve("gan.pt"), 16, new Architecture(16, List.of(1, 1, 1, 1), 2), 3,
        null);
    Path exp = dir.resolve("over");
    String[] plain = args(exp, gan, 2);
    String[] args = java.util.Arrays.copyOf(plain, plain.length + 2);
    args[plain.length] = "-s";
    args[plain.length + 1] = "sdk_oversample=glasses=3";
    int glasses = 0;
    for (int f = 0; f < 8; f++) { // sdk_seed 0: the training faces are faces 0-7 of seed 0
      glasses += FaceAttribute.GLASSES.label(SyntheticFaces.params(0, f)).orElseThrow() ? 1 : 0;
    }
    assertThat(glasses).as("faces 0-7 of seed 0 must hold one with glasses for this test").isPositive();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PspCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains((8 + 2 * glasses) + " training pairs, 16 test pairs");
    try (Checkpoint c = CheckpointReader.read(exp.resolve("checkpoints/iteration_2.pt"))) {
      assertThat(c.opts()).containsEntry("sdk_oversample", "glasses=3");
    }
  }

  @Test
  void aMissingLossWeightFileIsAnErrorThatNamesTheOption() throws Exception {
    StringWriter err = new StringWriter();
    int code = PspCli.run(new String[] {"train", "--exp-dir", dir.resolve("x").toString(), "--synthetic", "4",
        "-s", "stylegan_weights=" + dir.resolve("missing.pt"), "-s", "output_size=16", "-s", "sdk_width_divisor=16",
        "-s", "sdk_n_mlp=2"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("lpips_lambda is 0.8").contains("sdk_lpips_backbone");
  }

  @Test
  void listOptionsPrintsEveryOptionGroupedAndBadOptionsAreUsageErrors() {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    assertThat(PspCli.run(new String[] {"train", "--list-options"}, new java.io.PrintWriter(out, true),
        new java.io.PrintWriter(err, true))).isZero();
    assertThat(out.toString()).contains("losses:").contains("optimiser:").contains("schedule:")
        .contains("lpips_lambda").contains("0.8").contains("sdk_width_divisor");
    for (String[] args : new String[][] {{"train", "--exp-dir", "x", "-s", "output_sise=3", "--synthetic", "4"},
        {"train", "--exp-dir", "x", "-s", "nokey"}, {"train", "--synthetic", "4"},
        {"train", "--exp-dir", "x", "-s", "optim_name=sgd", "--synthetic", "4"},
        {"train", "--exp-dir", "x", "-s", "sdk_oversampel=glasses=3", "--synthetic", "4"},
        {"train", "--exp-dir", "x", "-s", "sdk_oversample=beard=2", "--synthetic", "4"},
        {"train", "--exp-dir", "x", "-s", "sdk_oversample=glasses=3", "--train-source", "a", "--train-target", "b",
            "--test-source", "c", "--test-target", "d"}}) {
      java.io.StringWriter e = new java.io.StringWriter();
      assertThat(PspCli.run(args, new java.io.PrintWriter(new java.io.StringWriter(), true),
          new java.io.PrintWriter(e, true))).as(String.join(" ", args) + ": " + e).isEqualTo(2);
      assertThat(e.toString()).startsWith("error: ");
    }
  }
}
