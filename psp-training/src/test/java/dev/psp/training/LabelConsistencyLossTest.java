package dev.psp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.nn.RandomWeights;
import dev.psp.synthetic.FaceLabels;
import dev.psp.training.parser.FaceParser;
import dev.psp.training.parser.FaceParserCheckpoint;
import dev.psp.training.parser.LabelConsistencyLoss;
import dev.psp.training.testing.Directional;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The label-consistency loss ({@code sdk_parser_labels_lambda}): its value against a float64
 * cross-entropy with the batch's class weights, written out here, the area-averaging of larger maps,
 * its gradient against finite differences inside the criterion, and its errors.
 */
class LabelConsistencyLossTest {
  private static final FaceParser PARSER = new FaceParser(16, 2);
  private static final int C = FaceParser.CLASSES;

  private static FaceParserCheckpoint parser(Path file) throws Exception {
    FaceParserCheckpoint c = new FaceParserCheckpoint(PARSER, 0, RandomWeights.of(PARSER.stateDictSpec(), 7));
    c.write(file);
    return c;
  }

  /** One-hot maps [b,19,s,s] of blocks of k×k pixels, each block one class; mostly skin, some glasses. */
  private static float[] labels(int b, int s, int k, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] out = new float[b * C * s * s];
    for (int i = 0; i < b; i++) {
      for (int by = 0; by < s / k; by++) {
        for (int bx = 0; bx < s / k; bx++) {
          int u = r.nextInt(10);
          int cls = u < 6 ? FaceLabels.SKIN : u < 9 ? FaceLabels.HAIR : FaceLabels.EYE_GLASSES;
          for (int y = by * k; y < by * k + k; y++) {
            for (int x = bx * k; x < bx * k + k; x++) {
              out[((i * C + cls) * s + y) * s + x] = 1;
            }
          }
        }
      }
    }
    return out;
  }

  /** −(1/BS²) Σ w_c t_c log softmax(logits)_c, w_c = share^-1/2 / Σ share·share^-1/2, in float64. */
  private static double expected(float[] logits, float[] t, int b, int s) {
    double[] pixels = new double[C];
    for (int i = 0; i < b; i++) {
      for (int c = 0; c < C; c++) {
        for (int p = 0; p < s * s; p++) {
          pixels[c] += t[(i * C + c) * s * s + p];
        }
      }
    }
    double total = (double) b * s * s;
    double norm = 0;
    for (double p : pixels) {
      norm += p > 0 ? (p / total) / Math.sqrt(p / total) : 0;
    }
    double sum = 0;
    for (int i = 0; i < b; i++) {
      for (int p = 0; p < s * s; p++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < C; c++) {
          max = Math.max(max, logits[(i * C + c) * s * s + p]);
        }
        double z = 0;
        for (int c = 0; c < C; c++) {
          z += Math.exp(logits[(i * C + c) * s * s + p] - max);
        }
        for (int c = 0; c < C; c++) {
          double tc = t[(i * C + c) * s * s + p];
          if (tc > 0) {
            double w = 1 / Math.sqrt(pixels[c] / total) / norm;
            sum += w * tc * (logits[(i * C + c) * s * s + p] - max - Math.log(z));
          }
        }
      }
    }
    return -sum / (b * s * s);
  }

  @Test
  void isTheClassWeightedCrossEntropyOfTheParsersLabelsOfTheOutput(@TempDir Path dir) throws Exception {
    FaceParserCheckpoint c = parser(dir.resolve("parser.pt"));
    LabelConsistencyLoss loss = new LabelConsistencyLoss(PARSER);
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      DjlTensorOps ops = new DjlTensorOps(m, DjlTensorOps.toNDArrays(m, c.stateDict()));
      float[] t16 = labels(2, 16, 2, 1);
      float[] y16 = Directional.clippedGaussian(2 * 3 * 16 * 16, 2);
      NDArray yHat = m.create(y16, new Shape(2, 3, 16, 16));
      float[] logits = PARSER.logits(ops, yHat).toFloatArray();
      double want = expected(logits, t16, 2, 16);
      double got = loss.forward(ops, m.create(t16, new Shape(2, C, 16, 16)), yHat).getFloat();
      assertThat(want).isGreaterThan(0.5);
      assertThat(Math.abs(got - want)).isLessThanOrEqualTo(1e-5 * want);
      // weighting matters: the glasses blocks (a tenth of the pixels) count more than their share
      assertThat(Math.abs(got - unweighted(logits, t16, 2, 16))).isGreaterThan(1e-3 * want);

      // maps and outputs larger than the parser are area-averaged to its size: 4×4 repeats give the same value,
      // and blocks of two classes become targets that share a pixel
      NDArray tBig = m.create(TrainingFixtures.repeat(t16, 2 * C, 16, 4), new Shape(2, C, 64, 64));
      NDArray yBig = m.create(TrainingFixtures.repeat(y16, 2 * 3, 16, 4), new Shape(2, 3, 64, 64));
      assertThat((double) loss.forward(ops, tBig, yBig).getFloat()).isCloseTo(got, org.assertj.core.data.Offset.offset(1e-5 * want));
      float[] fine = labels(2, 32, 1, 3); // one class per pixel at 32 px: shares of a 2×2 block at 16
      float[] pooled = new float[2 * C * 16 * 16];
      for (int p = 0; p < 2 * C; p++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            pooled[(p * 16 + y / 2) * 16 + x / 2] += fine[(p * 32 + y) * 32 + x] / 4;
          }
        }
      }
      NDArray y32 = m.create(TrainingFixtures.repeat(y16, 2 * 3, 16, 2), new Shape(2, 3, 32, 32));
      double soft = loss.forward(ops, m.create(fine, new Shape(2, C, 32, 32)), y32).getFloat();
      assertThat(soft).isCloseTo(expected(logits, pooled, 2, 16), org.assertj.core.data.Offset.offset(1e-5 * soft));

      assertThatThrownBy(() -> loss.forward(ops, m.zeros(new Shape(2, C, 24, 24)), m.zeros(new Shape(2, 3, 24, 24))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of the face parser's 16 px");
      assertThatThrownBy(() -> loss.forward(ops, m.zeros(new Shape(2, 3, 16, 16)), yHat))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one-hot label maps [B,19,H,W]");
    }
  }

  private static double unweighted(float[] logits, float[] t, int b, int s) {
    double sum = 0;
    for (int i = 0; i < b; i++) {
      for (int p = 0; p < s * s; p++) {
        double z = 0;
        for (int c = 0; c < C; c++) {
          z += Math.exp(logits[(i * C + c) * s * s + p]);
        }
        for (int c = 0; c < C; c++) {
          sum += t[(i * C + c) * s * s + p] * (logits[(i * C + c) * s * s + p] - Math.log(z));
        }
      }
    }
    return -sum / (b * s * s);
  }

  private static Map<String, Object> segmentation(Path parser, double lambda) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("dataset_type", "celebs_seg_to_face");
    o.put("label_nc", 19L);
    o.put("input_nc", 19L);
    o.put("output_size", 16L);
    o.put("lpips_lambda", 0.0);
    o.put("l2_lambda", 1.0);
    o.put("sdk_parser", parser.toString());
    o.put("sdk_parser_labels_lambda", lambda);
    return o;
  }

  @Test
  void addsItsWeightedTermToTheCriterionWithTheGradientOfItsValue(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("parser.pt");
    parser(file);
    TrainOptions opts = TrainOptions.of(segmentation(file, 0.5));
    float[] xv = TrainingFixtures.repeat(labels(2, 16, 2, 4), 2 * C, 16, 16);
    float[] yv = TrainingFixtures.repeat(Directional.clippedGaussian(2 * 3 * 16 * 16, 5), 2 * 3, 16, 16);
    float[] base = TrainingFixtures.repeat(Directional.clippedGaussian(2 * 3 * 16 * 16, 6), 2 * 3, 16, 16);
    float[] direction = TrainingFixtures.repeat(Directional.clippedGaussian(2 * 3 * 16 * 16, 8), 2 * 3, 16, 16);
    try (Criteria.Owned criterion = Criteria.fromOptions(opts);
        NDManager m = PyTorchEngine.djl().newBaseManager()) {
      NDArray x = m.create(xv, new Shape(2, C, 256, 256));
      NDArray y = m.create(yv, new Shape(2, 3, 256, 256));
      Map<String, Double> values = TrainingFixtures.checkedCriterionSlope(criterion, m, x, y, base, direction);
      assertThat(values).containsKeys("loss_l2", "loss_parser_labels", "loss");
      assertThat(values.get("loss_parser_labels")).isGreaterThan(0.5);
      assertThat(values.get("loss")).isCloseTo(values.get("loss_l2") + 0.5 * values.get("loss_parser_labels"),
          org.assertj.core.data.Offset.offset(1e-6 * values.get("loss")));
    }
  }

  @Test
  void isForSegmentationWithTheParsersClassesAndAParser(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("parser.pt");
    parser(file);
    Map<String, Object> o = segmentation(file, 0.5);
    o.put("dataset_type", "ffhq_encode");
    o.put("label_nc", 0L);
    o.put("input_nc", 3L);
    assertThatThrownBy(() -> Criteria.fromOptions(TrainOptions.of(o))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("for segmentation-to-face").hasMessageContaining("sdk_parser_labels_lambda=0");
    Map<String, Object> eight = segmentation(file, 0.5);
    eight.put("label_nc", 8L);
    eight.put("input_nc", 8L);
    assertThatThrownBy(() -> Criteria.fromOptions(TrainOptions.of(eight))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("19 classes").hasMessageContaining("label_nc is 8");
    Map<String, Object> none = segmentation(file, 0.5);
    none.remove("sdk_parser");
    assertThatThrownBy(() -> Criteria.fromOptions(TrainOptions.of(none))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sdk_parser=<path>").hasMessageContaining("sdk_parser_labels_lambda=0");
    Map<String, Object> notParser = segmentation(TrainingFixtures.styleGan(dir, 1, true), 0.5);
    assertThatThrownBy(() -> Criteria.fromOptions(TrainOptions.of(notParser))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a face parser checkpoint").hasMessageContaining("sdk_parser_labels_lambda=0");
    Map<String, Object> negative = segmentation(file, -1);
    assertThatThrownBy(() -> Criteria.fromOptions(TrainOptions.of(negative))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be >= 0");
  }
}
