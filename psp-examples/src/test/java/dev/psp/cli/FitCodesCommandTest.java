package dev.psp.cli;

import static dev.psp.cli.PspCliTest.psp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.TensorData;
import dev.psp.synthetic.SyntheticFaces;
import dev.psp.testing.TinyModels;
import dev.psp.training.latent.LatentOptimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code psp fit-codes}: row f of the file is the bundled inversion model's code of training face f
 * after the optimizer's steps, batch by batch; {@code psp train} refuses codes of other faces.
 */
class FitCodesCommandTest {
  @TempDir Path dir;

  @Test
  void rowFIsFaceFsCodeAfterTheStepsAndTheRecordSaysWhichFaces() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("models"));
    Path out = dir.resolve("fit/codes.npy");
    PspCliTest.Run r = psp("fit-codes", "-m", "ffhq_encode", "--model-dir", empty.toString(), "--faces", "3",
        "--seed", "7", "--steps", "12", "--lr", "0.05", "--batch", "2", "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("fitted 3 faces of seed 7, 12 steps each: L2 ");
    assertThat(r.err()).contains("24/24 optimization steps");
    String record = Files.readString(FitCodesCommand.record(out));
    assertThat(record).contains("\"seed\": 7").contains("\"faces\": 3").contains("\"steps\": 12");

    LatentCode written = LatentCode.load(out);
    try (PspModel m = Psp.load("ffhq_encode", LoadOptions.defaults().optEngine("pytorch").optModelDir(empty));
        LatentOptimizer o = LatentOptimizer.of(m)) {
      assertThat(written.batchSize()).isEqualTo(3);
      assertThat(written.nStyles()).isEqualTo(m.config().nStyles());
      List<LatentCode> expected = new ArrayList<>();
      double before = 0;
      double after = 0;
      for (int[] batch : new int[][] {{0, 1}, {2}}) {
        List<java.awt.image.BufferedImage> faces = new ArrayList<>();
        for (int f : batch) {
          faces.add(SyntheticFaces.pair(TranslationTask.INVERSION, 7, f, 256).target());
        }
        TensorData x = m.encoder().preprocess(faces);
        LatentOptimizer.Result res = o.optimize(m.encoder().encode(x), x, 12, 0.05, null);
        expected.add(res.codes());
        before += res.losses()[0] * batch.length;
        after += res.losses()[12] * batch.length;
      }
      assertThat(Arrays.mismatch(written.values(), LatentCode.concat(expected).values())).isEqualTo(-1);
      assertThat(after).isLessThan(0.9 * before);
      assertThat(record).contains(String.format(java.util.Locale.ROOT, "\"l2_after\": %.6f", after / 3));
    }
  }

  @Test
  void trainRefusesCodesOfOtherFacesAndFitCodesRefusesOtherModels() throws Exception {
    Path codes = dir.resolve("codes.npy");
    LatentCode.of(new float[2 * 4 * 8], 2, 4, 8).save(codes);
    String[] train = {"train", "--exp-dir", dir.resolve("exp").toString(), "--synthetic", "4",
        "-s", "dataset_type=celebs_sketch_to_face", "-s", "input_nc=1", "-s", "label_nc=1",
        "-s", "sdk_code_targets=" + codes};
    PspCliTest.Run noRecord = psp(train);
    assertThat(noRecord.code()).isEqualTo(2);
    assertThat(noRecord.err()).contains("has no record codes.npy.json").contains("psp fit-codes");
    Files.writeString(FitCodesCommand.record(codes), "{\"seed\": 3, \"faces\": 2}");
    PspCliTest.Run otherSeed = psp(train);
    assertThat(otherSeed.code()).isEqualTo(2);
    assertThat(otherSeed.err()).contains("fits faces of seed 3").contains("psp fit-codes --seed 0");

    Path sketch = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 3);
    PspCliTest.Run notInversion = psp("fit-codes", "-m", sketch.toString(), "--faces", "2", "-o",
        dir.resolve("x.npy").toString());
    assertThat(notInversion.code()).isEqualTo(2);
    assertThat(notInversion.err()).contains("one-pass inversion model");
    PspCliTest.Run noFaces = psp("fit-codes", "-m", sketch.toString(), "--faces", "0", "-o",
        dir.resolve("x.npy").toString());
    assertThat(noFaces.code()).isEqualTo(2);
    assertThat(noFaces.err()).contains("--faces and --batch must be >= 1");
  }
}
