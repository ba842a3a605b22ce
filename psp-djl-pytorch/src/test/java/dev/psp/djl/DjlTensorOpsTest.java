package dev.psp.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.io.TensorData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The op semantics the network definition relies on, and who owns which array. */
class DjlTensorOpsTest {
  private NDManager root;
  private NDManager paramsManager;
  private NDManager call;
  private DjlTensorOps ops;
  private NDArray w;

  @BeforeEach
  void setUp() {
    root = Engine.getEngine("PyTorch").newBaseManager();
    paramsManager = root.newSubManager();
    w = paramsManager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
    call = root.newSubManager();
    ops = new DjlTensorOps(call, Map.of("w", w));
  }

  @AfterEach
  void tearDown() {
    root.close();
  }

  private static int managed(NDManager m) {
    return ((BaseNDManager) m).getManagedArrays().size();
  }

  @Test
  void resultsOfParameterOpsBelongToTheCallManager() {
    NDArray y = ops.scale(ops.param("w"), 2);
    assertThat(y.getManager()).isSameAs(call);
    assertThat(y.toFloatArray()).containsExactly(2, 4, 6, 8, 10, 12);
    assertThat(managed(paramsManager)).isEqualTo(1);
    assertThatThrownBy(() -> ops.param("missing"))
        .hasMessageContaining("no tensor for state_dict key missing");
  }

  @Test
  void scopesReleaseIntermediatesButKeepResultsParametersAndConstants() {
    NDArray[] inner = new NDArray[1];
    NDArray[] constant = new NDArray[1];
    NDArray out = ops.scoped(() -> {
      constant[0] = ops.constant(new float[] {10f});
      inner[0] = ops.add(ops.param("w"), constant[0]);
      return ops.mul(inner[0], inner[0]);
    });
    assertThat(inner[0].isReleased()).isTrue();
    assertThat(constant[0].isReleased()).as("constants stay for autograd").isFalse();
    assertThat(out.getManager()).isSameAs(call);
    assertThat(out.toFloatArray()).containsExactly(121, 144, 169, 196, 225, 256);

    // a body that returns a parameter, or an op that hands back its operand, moves nothing
    NDArray p = ops.scoped(() -> ops.param("w"));
    NDArray same = ops.scoped(() -> ops.reshape(ops.param("w"), 2, 3));
    assertThat(p).isSameAs(w);
    assertThat(w.isReleased()).isFalse();
    assertThat(w.getManager()).isSameAs(paramsManager);
    assertThat(same.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void reductionsOverSeveralAxes() {
    NDArray x = ops.constant(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
    assertThat(ops.mean(x, new int[] {1, 2}, true).getShape()).isEqualTo(new Shape(2, 1, 1));
    assertThat(ops.mean(x, new int[] {1, 2}, false).toFloatArray()).containsExactly(2.5f, 6.5f);
    assertThat(ops.sum(x, new int[] {0, 2}, false).toFloatArray()).containsExactly(14, 22);
  }

  @Test
  void matmulBroadcastsLikeNumpy() {
    NDArray m = ops.constant(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
    NDArray x = ops.constant(new float[2 * 4 * 2 * 5], 2, 4, 2, 5);
    assertThat(ops.shape(ops.matmul(m, x))).containsExactly(2, 4, 3, 5);
    NDArray t = ops.constant(new float[5 * 7], 5, 7);
    assertThat(ops.shape(ops.matmul(x, t))).containsExactly(2, 4, 2, 7);
  }

  @Test
  void sliceConcatPermute() {
    NDArray x = ops.constant(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3);
    assertThat(ops.slice(x, 2, 1, 3).toFloatArray()).containsExactly(1, 2, 4, 5);
    assertThat(ops.permute(x, 0, 2, 1).toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
    assertThat(ops.shape(ops.concat(List.of(x, x), 1))).containsExactly(1, 4, 3);
  }

  @Test
  void activations() {
    NDArray x = ops.constant(new float[] {-2f, -0.5f, 0f, 3f}, 4);
    assertThat(ops.leakyRelu(x, 0.2).toFloatArray()).containsExactly(-2f * 0.2f, -0.5f * 0.2f, 0f, 3f);
    assertThat(ops.relu(x).toFloatArray()).containsExactly(0, 0, 0, 3);
    assertThat(ops.rsqrt(ops.constant(new float[] {4f, 0.25f}, 2)).toFloatArray())
        .containsExactly(0.5f, 2f);
    assertThat(ops.sigmoid(ops.constant(new float[] {0f}, 1)).toFloatArray()).containsExactly(0.5f);
  }

  @Test
  void conv2dWithoutBiasStrideAndPadding() {
    NDArray x = ops.constant(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
        1, 1, 4, 4);
    NDArray k = ops.constant(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, 1, 3, 3);
    NDArray y = ops.conv2d(x, k, null, 2, 1);
    // windows centred on (0,0), (0,2), (2,0), (2,2) with zero padding
    assertThat(y.toFloatArray()).containsExactly(14, 30, 57, 99);
  }

  /**
   * The 1×1 (matrix product) and single-channel (grouped) forms agree with libtorch's plain
   * convolution, with and without bias, stride and padding.
   */
  @Test
  void conv2dSpecialFormsMatchThePlainConvolution() {
    java.util.Random rng = new java.util.Random(7);
    Object[][] cases = {
        // x shape, weight shape, bias, stride, padding
        {new long[] {2, 5, 64, 65}, new long[] {3, 5, 1, 1}, true, 1, 0},
        {new long[] {1, 5, 70, 64}, new long[] {4, 5, 1, 1}, false, 1, 0},
        {new long[] {1, 5, 6, 7}, new long[] {4, 5, 1, 1}, true, 1, 0},
        {new long[] {6, 1, 9, 8}, new long[] {1, 1, 4, 4}, false, 1, 1},
        {new long[] {6, 1, 9, 8}, new long[] {4, 1, 3, 3}, true, 1, 1},
        {new long[] {3, 1, 9, 8}, new long[] {2, 1, 3, 3}, true, 2, 0},
    };
    for (Object[] c : cases) {
      long[] xs = (long[]) c[0];
      long[] ws = (long[]) c[1];
      NDArray x = random(rng, xs);
      NDArray w = random(rng, ws);
      NDArray b = (Boolean) c[2] ? random(rng, ws[0]) : null;
      int stride = (Integer) c[3];
      int padding = (Integer) c[4];
      NDArray got = ops.conv2d(x, w, b, stride, padding);
      NDArray ref = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(stride, stride),
          new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
      assertThat(got.getShape()).isEqualTo(ref.getShape());
      float[] g = got.toFloatArray();
      float[] r = ref.toFloatArray();
      for (int i = 0; i < r.length; i++) {
        assertThat(g[i]).as("%s * %s, element %d", java.util.Arrays.toString(xs),
            java.util.Arrays.toString(ws), i).isCloseTo(r[i], org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void conv2dSpecialFormsLeaveNothingInTheParameterManager() {
    NDArray k = paramsManager.create(new float[9], new Shape(1, 1, 3, 3));
    NDArray p = paramsManager.create(new float[15], new Shape(3, 5, 1, 1));
    NDArray b = paramsManager.create(new float[3], new Shape(3));
    int before = managed(paramsManager);
    ops.conv2d(ops.constant(new float[4 * 8 * 8], 4, 1, 8, 8), k, null, 1, 1);
    ops.conv2d(ops.constant(new float[5 * 64 * 64], 1, 5, 64, 64), p, b, 1, 0);
    assertThat(managed(paramsManager)).isEqualTo(before);
  }

  private NDArray random(java.util.Random rng, long... shape) {
    float[] v = new float[Math.toIntExact(new Shape(shape).size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return ops.constant(v, shape);
  }

  @Test
  void hostTensorsRoundTrip() {
    TensorData f = TensorData.ofFloats(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, 2, 3);
    TensorData l = TensorData.ofLongs(new long[] {40000L});
    NDArray fa = DjlTensorOps.toNDArray(call, f);
    NDArray la = DjlTensorOps.toNDArray(call, l);
    assertThat(la.getShape()).isEqualTo(new Shape());
    assertThat(DjlTensorOps.toTensorData(fa).toFloatArray()).containsExactly(1.5f, -2f, 3f, 4f, 5f, 6f);
    assertThat(DjlTensorOps.toTensorData(la).toLongArray()).containsExactly(40000L);
    assertThat(DjlTensorOps.toTensorData(la).shape()).isEmpty();
  }

  @Test
  void channelCountsThatOneDnnWouldPadArePaddedWithZerosFirst() {
    assertThat(DjlTensorOps.paddedChannels(1)).isEqualTo(1);
    assertThat(DjlTensorOps.paddedChannels(3)).isEqualTo(3);
    assertThat(DjlTensorOps.paddedChannels(7)).isEqualTo(7);
    assertThat(DjlTensorOps.paddedChannels(8)).isEqualTo(16);
    assertThat(DjlTensorOps.paddedChannels(17)).isEqualTo(32);
    assertThat(DjlTensorOps.paddedChannels(19)).isEqualTo(32);
    assertThat(DjlTensorOps.paddedChannels(64)).isEqualTo(64);
    // while autograd records, every count is rounded up to whole blocks
    assertThat(DjlTensorOps.gradientChannels(1)).isEqualTo(16);
    assertThat(DjlTensorOps.gradientChannels(3)).isEqualTo(16);
    assertThat(DjlTensorOps.gradientChannels(16)).isEqualTo(16);
    assertThat(DjlTensorOps.gradientChannels(17)).isEqualTo(32);
  }

  @Test
  void gradientsOfAPaddedConvolutionReachOnlyTheRealChannels() {
    java.util.Random r = new java.util.Random(3);
    float[] xv = new float[2 * 19 * 6 * 6];
    float[] wv = new float[4 * 19 * 3 * 3];
    for (int i = 0; i < xv.length; i++) {
      xv[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < wv.length; i++) {
      wv[i] = (float) r.nextGaussian();
    }
    NDArray x = call.create(xv, new Shape(2, 19, 6, 6));
    NDArray wt = call.create(wv, new Shape(4, 19, 3, 3));
    x.setRequiresGradient(true);
    wt.setRequiresGradient(true);
    try (ai.djl.training.GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray y = ops.conv2d(x, wt, null, 1, 1);
      gc.backward(ops.sum(ops.mul(y, y), new int[] {0, 1, 2, 3}, false));
    }
    assertThat(x.getGradient().getShape()).isEqualTo(new Shape(2, 19, 6, 6));
    assertThat(wt.getGradient().getShape()).isEqualTo(new Shape(4, 19, 3, 3));
    // d/dw of sum(y²) = 2·Σ y·x_window: checked at one weight against float64
    float[] y = ops.conv2d(x.stopGradient(), wt.stopGradient(), null, 1, 1).toFloatArray();
    double expected = 0;
    int o = 1;
    int c = 18;
    for (int b = 0; b < 2; b++) {
      for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 6; j++) {
          int yy = i - 1;
          int xx = j; // tap (u=0, v=1)
          if (yy >= 0) {
            expected += 2.0 * y[((b * 4 + o) * 6 + i) * 6 + j] * xv[((b * 19 + c) * 6 + yy) * 6 + xx];
          }
        }
      }
    }
    float got = wt.getGradient().toFloatArray()[((o * 19 + c) * 3) * 3 + 1];
    assertThat((double) got).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-3 * (1 + Math.abs(expected))));
  }
}
