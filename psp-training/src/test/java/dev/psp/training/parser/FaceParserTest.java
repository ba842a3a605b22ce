package dev.psp.training.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.synthetic.FaceLabels;
import dev.psp.training.loss.FeatureMatchingLoss;
import dev.psp.training.testing.Directional;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The face parser: it learns to label synthetic faces, deterministically, and its features give a usable loss. */
class FaceParserTest {
  private static final FaceParser SMALL = new FaceParser(32, 8);

  @Test
  void learnsToLabelHeldOutSyntheticFaces() {
    try (FaceParserTrainer t = new FaceParserTrainer(SMALL, 3, 200, 8, 3e-3)) {
      FaceParserTrainer.Evaluation before = t.evaluate(3, 200, 32);
      t.train(299, (step, last, losses, sps) -> { });
      FaceParserTrainer.Evaluation after = t.evaluate(3, 200, 32); // faces the trainer never drew
      assertThat(t.steps()).isEqualTo(300);
      assertThat(after.pixelAccuracy()).isGreaterThan(0.78).isGreaterThan(before.pixelAccuracy() + 0.3);
      assertThat(after.iou()[FaceLabels.BACKGROUND]).isGreaterThan(0.8);
      assertThat(after.iou()[FaceLabels.SKIN]).isGreaterThan(0.4);
      assertThat(after.iou()[FaceLabels.HAIR]).isGreaterThan(0.45);
    }
  }

  @Test
  void rareClassesWeighMoreAndTheMeanWeightPerPixelIsOne() {
    List<byte[]> maps = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      maps.add(dev.psp.synthetic.SyntheticFaces.sample(3, i, 32).labels());
    }
    float[] w = FaceParserTrainer.classWeights(maps);
    assertThat(w[FaceLabels.EYE_GLASSES]).isGreaterThan(2 * w[FaceLabels.SKIN]);
    assertThat(w[FaceLabels.L_EYE]).isGreaterThan(w[FaceLabels.HAIR]);
    assertThat(w[FaceLabels.SKIN]).isGreaterThan(w[FaceLabels.BACKGROUND]);
  }

  @Test
  void equalSeedsTrainEqualWeightsAndCheckpointsRoundTrip(@TempDir Path dir) throws Exception {
    FaceParserCheckpoint a;
    FaceParserCheckpoint b;
    try (FaceParserTrainer t = new FaceParserTrainer(SMALL, 5, 40, 4, 1e-3)) {
      t.train(2, (step, last, losses, sps) -> { });
      a = t.checkpoint();
    }
    try (FaceParserTrainer t = new FaceParserTrainer(SMALL, 5, 40, 4, 1e-3)) {
      t.train(2, (step, last, losses, sps) -> { });
      b = t.checkpoint();
    }
    a.write(dir.resolve("parser.pt"));
    FaceParserCheckpoint read = FaceParserCheckpoint.read(dir.resolve("parser.pt"));
    assertThat(read.step()).isEqualTo(3);
    assertThat(read.parser().size()).isEqualTo(32);
    assertThat(read.parser().width()).isEqualTo(8);
    for (String k : a.stateDict().keySet()) {
      assertThat(b.stateDict().get(k).toFloatArray()).as(k).containsExactly(a.stateDict().get(k).toFloatArray());
      assertThat(read.stateDict().get(k).toFloatArray()).as(k).containsExactly(a.stateDict().get(k).toFloatArray());
    }
    try (FaceParserTrainer t = new FaceParserTrainer(SMALL, 6, 40, 4, 1e-3)) {
      t.train(2, (step, last, losses, sps) -> { });
      assertThat(t.checkpoint().stateDict().get("head.weight").toFloatArray())
          .isNotEqualTo(a.stateDict().get("head.weight").toFloatArray());
    }
  }

  @Test
  void featureMatchingOnItHasTheGradientOfItsValue() {
    try (FaceParserTrainer t = new FaceParserTrainer(SMALL, 3, 40, 4, 3e-3);
        NDManager m = PyTorchEngine.djl().newBaseManager()) {
      t.train(19, (step, last, losses, sps) -> { });
      FaceParserCheckpoint c = t.checkpoint();
      Map<String, NDArray> w = DjlTensorOps.toNDArrays(m, c.stateDict());
      FeatureMatchingLoss loss = new FeatureMatchingLoss(c.parser());
      int n = 2 * 3 * 64 * 64;
      float[] y = random(n, 1);
      float[] base = random(n, 2);
      float[] direction = new float[n]; // towards the output: the loss changes along it, kinks of ReLU aside
      for (int i = 0; i < n; i++) {
        direction[i] = base[i] - y[i];
      }
      double analytic;
      try (NDManager call = m.newSubManager(); GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
        DjlTensorOps ops = new DjlTensorOps(call, w);
        List<NDArray> target = DjlTensorOps.withoutGrad(() -> loss.features(ops, call.create(y, new Shape(2, 3, 64, 64))));
        assertThat(target).extracting(a -> a.getShape().get(1)).containsExactly(8L, 16L, 32L, 19L);
        NDArray yHat = call.create(base, new Shape(2, 3, 64, 64));
        yHat.setRequiresGradient(true);
        NDArray value = loss.forward(ops, yHat, target);
        gc.backward(value);
        analytic = Directional.slope(yHat.getGradient().toFloatArray(), direction);
      }
      double numeric = Directional.centralDifference(base, direction, 1e-2, v -> {
        try (NDManager call = m.newSubManager()) {
          DjlTensorOps ops = new DjlTensorOps(call, w);
          return loss.forward(ops, call.create(v, new Shape(2, 3, 64, 64)),
              loss.features(ops, call.create(y, new Shape(2, 3, 64, 64)))).getFloat();
        }
      });
      assertThat(Math.abs(analytic)).isGreaterThan(1e-4);
      assertThat(Math.abs(analytic - numeric)).isLessThanOrEqualTo(0.02 * Math.abs(numeric));
    }
  }

  @Test
  void badShapesAndFilesAreErrorsThatSayWhatToDo(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> new FaceParser(48, 8)).hasMessageContaining("power of two");
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      DjlTensorOps ops = new DjlTensorOps(m, Map.of());
      assertThatThrownBy(() -> SMALL.features(ops, m.zeros(new Shape(1, 3, 16, 16))))
          .hasMessageContaining("reads [B,3,32,32] images");
    }
    assertThatThrownBy(() -> new FaceParserTrainer(new FaceParser(256, 1), 0, 4, 2000, 0.002))
        .hasMessageContaining("use a batch of at most 1724");
    try (FaceParserTrainer t = new FaceParserTrainer(SMALL, 0, 4, 2, 0.002)) {
      assertThatThrownBy(() -> t.evaluate(0, 4, 0)).hasMessageContaining("count must be >= 1, got 0");
    }
    Path notAParser = dir.resolve("psp.pt");
    dev.psp.io.CheckpointWriter.write(notAParser, Map.of("state_dict", Map.of(), "opts", Map.of()));
    assertThatThrownBy(() -> FaceParserCheckpoint.read(notAParser)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a face parser checkpoint").hasMessageContaining("psp train-parser");
  }

  private static float[] random(int n, long seed) {
    return Directional.clippedGaussian(n, seed);
  }
}
