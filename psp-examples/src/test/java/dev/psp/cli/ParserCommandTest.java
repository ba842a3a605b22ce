package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.cli.PspCliTest.Run;
import dev.psp.nn.Architecture;
import dev.psp.testing.TinyModels;
import dev.psp.training.parser.FaceParserCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code psp train-parser}, then {@code psp train} matching its features ({@code sdk_parser_lambda}) and,
 * for segmentation, its labels ({@code sdk_parser_labels_lambda}).
 */
class ParserCommandTest {
  @TempDir Path dir;

  @Test
  void trainsAParserThatPspTrainingMatchesFeaturesOn() throws Exception {
    Path parser = dir.resolve("parser.pt");
    Run r = PspCliTest.psp("train-parser", "-o", parser.toString(), "--size", "16", "--width", "4", "--steps", "3",
        "--batch", "2", "--faces", "8");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("trained 3 steps").contains("held-out faces 8..71: pixel accuracy");
    FaceParserCheckpoint c = FaceParserCheckpoint.read(parser);
    assertThat(c.step()).isEqualTo(3);
    assertThat(c.parser().size()).isEqualTo(16);

    Path gan = TinyModels.writeStyleGan(dir.resolve("gan.pt"), 16, new Architecture(16, List.of(1, 1, 1, 1), 2), 3, null);
    Path exp = dir.resolve("exp");
    r = PspCliTest.psp("train", "--exp-dir", exp.toString(), "--synthetic", "4",
        "-s", "dataset_type=ffhq_encode", "-s", "output_size=16", "-s", "sdk_width_divisor=16",
        "-s", "sdk_body_units=[1,1,1,1]", "-s", "sdk_n_mlp=2", "-s", "stylegan_weights=" + gan,
        "-s", "start_from_latent_avg=true", "-s", "batch_size=2", "-s", "test_batch_size=2", "-s", "lpips_lambda=0",
        "-s", "max_steps=1", "-s", "board_interval=1", "-s", "val_interval=100",
        "-s", "sdk_parser=" + parser, "-s", "sdk_parser_lambda=0.5");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(exp.resolve("logs/train.jsonl"))).contains("\"loss_parser\":");

    Path seg = dir.resolve("seg"); // the input label maps graded against the parser's labels of the output
    r = PspCliTest.psp("train", "--exp-dir", seg.toString(), "--synthetic", "4",
        "-s", "dataset_type=celebs_seg_to_face", "-s", "input_nc=19", "-s", "label_nc=19", "-s", "output_size=16",
        "-s", "sdk_width_divisor=16", "-s", "sdk_body_units=[1,1,1,1]", "-s", "sdk_n_mlp=2", "-s", "stylegan_weights=" + gan,
        "-s", "start_from_latent_avg=true", "-s", "batch_size=2", "-s", "test_batch_size=2", "-s", "lpips_lambda=0",
        "-s", "max_steps=1", "-s", "board_interval=1", "-s", "val_interval=100",
        "-s", "sdk_parser=" + parser, "-s", "sdk_parser_labels_lambda=0.5");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(seg.resolve("logs/train.jsonl"))).contains("\"loss_parser_labels\":");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    Run r = PspCliTest.psp("train-parser", "-o", dir.resolve("p.pt").toString(), "--size", "48", "--steps", "1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("power of two");
    r = PspCliTest.psp("train-parser", "-o", dir.resolve("p.pt").toString(), "--size", "512", "--steps", "1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--size 512").contains("16 to 256");
    assertThat(dir.resolve("p.pt")).doesNotExist();
    r = PspCliTest.psp("train", "--exp-dir", dir.resolve("e").toString(), "--synthetic", "4",
        "-s", "output_size=16", "-s", "lpips_lambda=0", "-s", "sdk_parser_lambda=0.5");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("sdk_parser").contains("sdk_parser_lambda=0");
  }
}
