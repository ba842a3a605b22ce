package dev.psp.training.optim;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.io.TensorData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link Optimizer} promises: exact resume from {@link Optimizer#state()}, errors for a
 * state that does not fit, zeroed gradients after {@code step()} and {@code zeroGrad()}, and no
 * native handles left behind by a step.
 */
class OptimizerContractTest {
  private NDManager root;
  private ReferenceProblem problem;

  @BeforeEach
  void setUp() {
    root = PyTorchEngine.djl().newBaseManager();
    problem = new ReferenceProblem(root);
  }

  @AfterEach
  void tearDown() {
    root.close();
  }

  private static Optimizer create(String name, Map<String, NDArray> params) {
    BiFunction<Map<String, NDArray>, Double, Optimizer> factory =
        name.equals("ranger") ? Ranger::new : Adam::new;
    return factory.apply(params, ReferenceProblem.LEARNING_RATE);
  }

  static Stream<Arguments> resumePoints() {
    // 0: before the first step (Ranger copies its slow weights then); 5, 6: just before and at a
    // Lookahead synchronisation; 8: before the step whose gradient must have been zeroed by step 8
    return Stream.of("ranger", "adam").flatMap(o -> Stream.of(0, 5, 6, 8, 11)
        .map(s -> Arguments.of(o, s)));
  }

  @ParameterizedTest(name = "{0} saved after step {1}")
  @MethodSource("resumePoints")
  void resumesExactly(String name, int savedAt) {
    int end = 14; // past the Lookahead synchronisations at steps 6 and 12
    Map<String, NDArray> straight = problem.initialParams();
    Map<String, TensorData> straightState;
    try (Optimizer o = create(name, straight)) {
      problem.train(o, straight, 0, end);
      straightState = o.state();
    }

    Map<String, NDArray> first = problem.initialParams();
    Map<String, TensorData> saved;
    try (Optimizer o = create(name, first)) {
      problem.train(o, first, 0, savedAt);
      saved = o.state();
    }
    Map<String, NDArray> resumed = problem.params(ReferenceProblem.snapshot(first));
    try (Optimizer o = create(name, resumed)) {
      o.loadState(saved);
      assertThat(o.steps()).isEqualTo(savedAt);
      problem.train(o, resumed, savedAt, end);
      assertSameTensors(o.state(), straightState, "state");
    }
    assertSameTensors(ReferenceProblem.snapshot(resumed), ReferenceProblem.snapshot(straight),
        "parameters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ranger", "adam"})
  void rejectsAStateThatDoesNotFit(String name) {
    Map<String, NDArray> params = problem.initialParams();
    try (Optimizer o = create(name, params)) {
      problem.train(o, params, 0, 2);
      Map<String, TensorData> good = o.state();

      Map<String, TensorData> wrongShape = new LinkedHashMap<>(good);
      wrongShape.put("linear.bias.exp_avg", TensorData.ofFloats(new float[6], 6));
      assertRejected(o, wrongShape, "linear.bias.exp_avg", "[6]");

      Map<String, TensorData> wrongType = new LinkedHashMap<>(good);
      wrongType.put("linear.bias.exp_avg_sq", TensorData.ofLongs(new long[5], 5));
      assertRejected(o, wrongType, "linear.bias.exp_avg_sq", "INT64");

      Map<String, TensorData> noStep = new LinkedHashMap<>(good);
      noStep.remove("step");
      assertRejected(o, noStep, "missing [step]");

      Map<String, TensorData> negativeStep = new LinkedHashMap<>(good);
      negativeStep.put("step", TensorData.ofLongs(new long[] {-1}));
      assertRejected(o, negativeStep, "step", "-1");

      Map<String, TensorData> otherParams = new LinkedHashMap<>();
      good.forEach((k, v) -> otherParams.put(k.replace("linear.", "fc."), v));
      assertRejected(o, otherParams, "missing [linear.bias.", "unexpected [fc.bias.");

      Map<String, NDArray> twin = problem.initialParams();
      try (Optimizer other = create(name.equals("ranger") ? "adam" : "ranger", twin)) {
        String slow = "[conv.weight.slow_buffer";
        assertRejected(o, other.state(), (name.equals("ranger") ? "missing " : "unexpected ") + slow);
      }
      assertSameTensors(o.state(), good, "state after rejected loads");
    }
  }

  private static void assertRejected(Optimizer o, Map<String, TensorData> state, String... words) {
    assertThatThrownBy(() -> o.loadState(state))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> System.out.println("rejected: " + e.getMessage()))
        .message().contains(words);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ranger", "adam"})
  void leavesZeroGradients(String name) {
    Map<String, NDArray> params = problem.initialParams();
    try (Optimizer o = create(name, params)) {
      problem.backward(params);
      assertThat(maxAbsGradient(params)).isGreaterThan(0);
      o.step();
      assertThat(maxAbsGradient(params)).isZero();

      // a NaN gradient (from a NaN loss) is cleared too, like Tensor.grad.zero_()
      NDArray bias = params.get("linear.bias");
      try (var gc = PyTorchEngine.djl().newGradientCollector();
          NDArray factor = root.create(new float[] {Float.NaN, 1, 1, 1, 1})) {
        gc.backward(bias.mul(factor).sum());
      }
      assertThat(bias.getGradient().toFloatArray()[0]).isNaN();
      o.zeroGrad();
      assertThat(maxAbsGradient(params)).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ranger", "adam"})
  void stepsLeaveNoNativeHandlesBehind(String name) {
    Map<String, NDArray> params = problem.initialParams();
    try (Optimizer o = create(name, params)) {
      problem.train(o, params, 0, 1);
      int before = root.getManagedArrays().size();
      problem.train(o, params, 1, 13);
      o.zeroGrad();
      System.out.printf("%s: %d native arrays before 12 steps, %d after%n", name, before,
          root.getManagedArrays().size());
      assertThat(root.getManagedArrays()).hasSize(before);
    }
  }

  private static double maxAbsGradient(Map<String, NDArray> params) {
    double max = 0;
    for (NDArray p : params.values()) {
      for (float g : p.getGradient().toFloatArray()) {
        max = Double.isNaN(g) ? Double.NaN : Math.max(max, Math.abs(g));
      }
    }
    return max;
  }

  private static void assertSameTensors(Map<String, TensorData> actual,
      Map<String, TensorData> expected, String what) {
    assertThat(actual.keySet()).as(what + " keys").containsExactlyElementsOf(expected.keySet());
    expected.forEach((k, e) -> {
      TensorData a = actual.get(k);
      assertThat(a.dtype()).as(what + " " + k).isEqualTo(e.dtype());
      assertThat(a.shape()).as(what + " " + k).containsExactly(e.shape());
      assertThat(a.bytes()).as(what + " " + k + " bytes").isEqualTo(e.bytes());
    });
  }
}
