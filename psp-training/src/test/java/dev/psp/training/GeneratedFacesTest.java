package dev.psp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.TranslationTask;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.nn.PspNetwork;
import dev.psp.training.data.SyntheticPairs;
import dev.psp.training.data.TaskTransforms;
import dev.psp.training.parser.FaceParser;
import dev.psp.training.parser.FaceParserCheckpoint;
import dev.psp.training.parser.FaceParserTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sdk_generated}: pairs drawn from the frozen decoder, with the face parser's labels as the
 * segmentation source, and the W+ loss on their known codes.
 */
class GeneratedFacesTest {
  private static final int S = dev.psp.Encoder.INPUT_SIZE;
  @TempDir Path tmp;

  private TrainOptions inversion(String name, Path gan) {
    return TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve(name), gan)).with("batch_size", 4L)
        .with("sdk_generated", 3L).with("sdk_generated_w_lambda", 1.0).with("learning_rate", 0.01);
  }

  private Path parser() throws Exception {
    Path file = tmp.resolve("parser.pt");
    try (FaceParserTrainer t = new FaceParserTrainer(new FaceParser(TrainingFixtures.SIZE, 4), 1, 8, 2, 1e-3)) {
      t.train(3, (step, last, losses, sps) -> { });
      t.checkpoint().write(file);
    }
    return file;
  }

  private TrainOptions segmentation(Path gan, Path parser) {
    Map<String, Object> o = segmentationOpts(gan);
    o.put("sdk_generated_parser", parser.toString());
    return TrainOptions.of(o);
  }

  private Map<String, Object> segmentationOpts(Path gan) {
    Map<String, Object> o = TrainingFixtures.tinyOpts(tmp.resolve("seg"), gan);
    o.put("dataset_type", "celebs_seg_to_face");
    o.put("label_nc", 19L);
    o.put("input_nc", 19L);
    o.put("batch_size", 3L);
    o.put("sdk_generated", 2L);
    return o;
  }

  private List<Map<String, Double>> history(String name, Path gan, double wLambda, long steps) throws Exception {
    try (PspTrainer t = PspTrainer.create(inversion(name, gan).with("max_steps", steps - 1)
        .with("sdk_generated_w_lambda", wLambda), TrainingFixtures.l2(), TrainingFixtures.discs(16, 1),
        TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      t.train(TrainingListener.silent());
      return t.history();
    }
  }

  @Test
  void theWLossTeachesTheEncoderTheCodesOfDrawnFacesAndIsPartOfTheLoss() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 7, true);
    List<Map<String, Double>> graded = history("w", gan, 1.0, 60);
    List<Map<String, Double>> logged = history("l2", gan, 0.0, 60);
    // loss = l2 + 1.0 * loss_w_generated, the w term over the drawn codes only; at weight 0 logged, not in the loss.
    // The same drawn faces at each step (the seed and step choose them), so the two runs compare code for code
    double[] means = TrainingFixtures.weightedTerm(graded, logged, "loss_w_generated", 1.0, 40);
    double w = means[0];
    double l2Only = means[1];
    System.out.printf("loss_w_generated, steps 40-59: graded %.5f, L2 only %.5f (step 0: %.5f)%n", w, l2Only,
        graded.get(0).get("loss_w_generated"));
    assertThat(w).isLessThan(0.7 * l2Only);
  }

  @Test
  void equalSeedsDrawEqualFacesAndStepsDrawOthers() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 8, true);
    List<Map<String, Double>> a;
    List<Map<String, Double>> b;
    try (PspTrainer t = PspTrainer.create(inversion("a", gan).with("max_steps", 3L), TrainingFixtures.l2(),
        TrainingFixtures.discs(8, 1), TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      t.train(TrainingListener.silent());
      a = t.history();
    }
    try (PspTrainer t = PspTrainer.create(inversion("b", gan).with("max_steps", 3L), TrainingFixtures.l2(),
        TrainingFixtures.discs(8, 1), TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      t.train(TrainingListener.silent());
      b = t.history();
    }
    assertThat(b).isEqualTo(a);
    assertThat(a.get(1).get("loss_w_generated")).isNotEqualTo(a.get(0).get("loss_w_generated"));
  }

  @Test
  void aStoppedRunResumesWithTheSameDrawnFaces() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 12, true);
    List<Map<String, Double>> whole;
    try (PspTrainer t = PspTrainer.create(inversion("whole", gan).with("max_steps", 3L).with("save_interval", 1L),
        TrainingFixtures.l2(), TrainingFixtures.discs(8, 1), TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      t.train(TrainingListener.silent());
      whole = t.history();
    }
    TrainOptions o = inversion("parts", gan).with("max_steps", 3L).with("save_interval", 1L);
    try (PspTrainer t = PspTrainer.create(o, TrainingFixtures.l2(), TrainingFixtures.discs(8, 1),
        TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      t.trainUntil(1, TrainingListener.silent());
    }
    try (PspTrainer t = PspTrainer.create(o, TrainingFixtures.l2(), TrainingFixtures.discs(8, 1),
        TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      assertThat(t.step()).isEqualTo(2);
      t.train(TrainingListener.silent());
      assertThat(t.history()).isEqualTo(whole.subList(2, 4));
    }
  }

  @Test
  void aDrawnSegmentationSourceIsTheParsersLabelsOfTheDrawnFaceOneHotAndTheCodeIsOneW() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 9, true);
    Path parserFile = parser();
    TrainOptions o = segmentation(gan, parserFile);
    PspNetwork net = new PspNetwork(o.outputSize(), o.intOpt("input_nc"), o.encoderType(), o.architecture());
    FaceParserCheckpoint parser = FaceParserCheckpoint.read(parserFile);
    try (GeneratedFaces g = GeneratedFaces.of(o, net); NDManager m = PyTorchEngine.djl().newBaseManager()) {
      Map<String, NDArray> params = DjlTensorOps.toNDArrays(m, ModelInit.load(o, net).stateDict());
      DjlTensorOps ops = new DjlTensorOps(m, params::get);
      GeneratedFaces.Batch batch = g.draw(ops, m, new Random(3));
      assertThat(batch.x().getShape()).isEqualTo(new Shape(2, 19, S, S));
      assertThat(batch.y().getShape()).isEqualTo(new Shape(2, 3, S, S));
      float[] w = batch.w().toFloatArray();
      int rows = net.nStyles();
      int dim = net.styleDim();
      for (int i = 0; i < 2; i++) {
        for (int r = 1; r < rows; r++) {
          for (int d = 0; d < dim; d++) {
            assertThat(w[(i * rows + r) * dim + d]).isEqualTo(w[i * rows * dim + d]);
          }
        }
      }
      // the labels, computed here from the image: area-average to the parser's size, its argmax
      int p = parser.parser().size();
      int k = S / p;
      float[] y = batch.y().toFloatArray();
      float[] small = new float[2 * 3 * p * p];
      for (int c = 0; c < 2 * 3; c++) {
        for (int r = 0; r < S; r++) {
          for (int col = 0; col < S; col++) {
            small[(c * p + r / k) * p + col / k] += y[(c * S + r) * S + col] / (k * k);
          }
        }
      }
      float[] logits;
      try (NDManager call = m.newSubManager()) {
        Map<String, NDArray> pp = DjlTensorOps.toNDArrays(call, parser.stateDict());
        logits = parser.parser().logits(new DjlTensorOps(call, pp::get), call.create(small, new Shape(2, 3, p, p)))
            .toFloatArray();
      }
      float[] x = batch.x().toFloatArray();
      int classes = FaceParser.CLASSES;
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      for (int i = 0; i < 2; i++) {
        for (int r = 0; r < S; r++) {
          for (int col = 0; col < S; col++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
              if (logits[((i * classes + c) * p + r / k) * p + col / k]
                  > logits[((i * classes + best) * p + r / k) * p + col / k]) {
                best = c;
              }
            }
            seen.add(best);
            for (int c = 0; c < classes; c++) {
              assertThat(x[((i * classes + c) * S + r) * S + col]).as("face %d class %d at %d,%d", i, c, r, col)
                  .isEqualTo(c == best ? 1f : 0f);
            }
          }
        }
      }
      assertThat(seen.size()).isGreaterThan(1); // not one class everywhere: the layout is tested
    }
  }

  @Test
  void aSegmentationRunTrainsOnRenderedAndDrawnPairs() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 10, true);
    TrainOptions o = segmentation(gan, parser()).with("max_steps", 1L).with("sdk_generated_w_lambda", 0.5);
    TaskTransforms t = new TaskTransforms(TranslationTask.SEGMENTATION_TO_FACE, 19, new int[] {1});
    try (PspTrainer tr = PspTrainer.create(o, TrainingFixtures.l2(), new SyntheticPairs(t, 1, 3, true),
        new SyntheticPairs(t, 2, 3, false), TrainingFixtures.adam())) {
      tr.train(TrainingListener.silent());
      assertThat(tr.history()).hasSize(2).allSatisfy(v -> assertThat(v.get("loss_w_generated")).isPositive());
    }
  }

  private static PspNetwork net(TrainOptions o) {
    return new PspNetwork(o.outputSize(), o.intOpt("input_nc"), o.encoderType(), o.architecture());
  }

  @Test
  void badOptionsAreRefusedWithTheFix() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 11, true);
    TrainOptions inv = inversion("x", gan);
    assertThatThrownBy(() -> GeneratedFaces.of(inv.with("sdk_generated", 4L), net(inv)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in 1..3 for batch_size 4");
    assertThatThrownBy(() -> GeneratedFaces.of(inv.with("train_decoder", true), net(inv)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("train_decoder=false");
    assertThatThrownBy(() -> GeneratedFaces.of(inv.with("sdk_generated", 0L), net(inv)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set sdk_generated=");
    TrainOptions sketch = inv.with("dataset_type", "celebs_sketch_to_face").with("input_nc", 1L);
    assertThatThrownBy(() -> GeneratedFaces.of(sketch, net(sketch)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inversion and segmentation");
    TrainOptions noParser = TrainOptions.of(segmentationOpts(gan));
    assertThatThrownBy(() -> GeneratedFaces.of(noParser, net(noParser)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sdk_generated_parser=<file>");
    TrainOptions missing = noParser.with("sdk_generated_parser", tmp.resolve("none.pt").toString());
    assertThatThrownBy(() -> GeneratedFaces.of(missing, net(missing)))
        .hasMessageContaining(tmp.resolve("none.pt").toAbsolutePath().toString());
    TrainOptions notAParser = noParser.with("sdk_generated_parser", gan.toString());
    assertThatThrownBy(() -> GeneratedFaces.of(notAParser, net(notAParser)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a face parser written by");
  }
}
