package dev.psp.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.io.TensorData;
import dev.psp.nn.AdaptiveAvgPool2d;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.encoder.BottleneckIRSE;
import dev.psp.nn.encoder.GradualStyleBlock;
import dev.psp.nn.encoder.GradualStyleEncoder;
import dev.psp.nn.encoder.InputLayer;
import dev.psp.nn.encoder.OutputLayer2;
import dev.psp.nn.encoder.SEModule;
import dev.psp.nn.stylegan2.Blur;
import dev.psp.nn.stylegan2.ConstantInput;
import dev.psp.nn.stylegan2.EqualLinear;
import dev.psp.nn.stylegan2.Generator;
import dev.psp.nn.stylegan2.MappingNetwork;
import dev.psp.nn.stylegan2.ModulatedConv2d;
import dev.psp.nn.stylegan2.PixelNorm;
import dev.psp.nn.stylegan2.StyledConv;
import dev.psp.nn.stylegan2.ToRGB;
import dev.psp.nn.stylegan2.Upsample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;

/**
 * Every module case of the shared fixtures ({@code index.json}), built from the network definition
 * with the case's constructor arguments and run through {@link DjlTensorOps}, against the outputs
 * of the official PyTorch code: {@code |got - ref| ≤ 1e-5 + 1e-5·|ref|} elementwise. Each case
 * also checks that the module declares exactly the fixture's state_dict (keys, order, shapes,
 * dtypes).
 */
class ModuleParityTest {
  static final double ATOL = 1e-5;
  static final double RTOL = 1e-5;
  static final double[] BLUR = {1, 3, 3, 1};

  private static final Map<String, Double> MEASURED = Collections.synchronizedMap(new TreeMap<>());
  private static NDManager root;

  @BeforeAll
  static void engine() {
    root = Engine.getEngine("PyTorch").newBaseManager();
  }

  @AfterAll
  static void summary() {
    StringBuilder sb = new StringBuilder("\nmax abs diff per fixture output (tolerance 1e-5 + 1e-5·|ref|):\n");
    MEASURED.forEach((k, v) -> sb.append(String.format("  %-52s %.3g%n", k, v)));
    System.out.println(sb);
    root.close();
  }

  /** A module built for a case, and how to call it on a run's inputs. */
  record Case(Layer layer, Forward forward) {}

  /** Computes named outputs (and optionally {@code mid_}-prefixed intermediates) from inputs. */
  interface Forward {
    Map<String, NDArray> apply(DjlTensorOps ops, String run, Map<String, NDArray> in);
  }

  private static Map<String, NDArray> out(String name, NDArray value) {
    Map<String, NDArray> m = new LinkedHashMap<>();
    m.put(name, value);
    return m;
  }

  /** The module for each fixture case, with the constructor arguments of {@code index.json}. */
  static Case build(String name) {
    switch (name) {
      case "equal_linear": {
        EqualLinear m = new EqualLinear("", 32, 16);
        return new Case(m, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
      }
      case "equal_linear_lrmul_fused_lrelu": {
        EqualLinear m = new EqualLinear("", 32, 16, true, 0, 0.01, true);
        return new Case(m, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
      }
      case "pixel_norm": {
        PixelNorm m = new PixelNorm();
        return new Case(null, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
      }
      case "mapping_network": {
        MappingNetwork m = new MappingNetwork("style.", 64, 8, 0.01);
        return new Case(m, (ops, run, in) -> out("w", m.forward(ops, in.get("z"))));
      }
      case "modconv_3x3_demod":
        return modconv(new ModulatedConv2d("", 16, 8, 3, 32));
      case "modconv_3x3_demod_up":
        return modconv(new ModulatedConv2d("", 16, 8, 3, 32, true, true, BLUR));
      case "modconv_1x1_nodemod":
        return modconv(new ModulatedConv2d("", 8, 3, 1, 32, false, false, BLUR));
      case "styled_conv_up":
      case "styled_conv": {
        StyledConv m = new StyledConv("", 16, 8, 3, 32, name.equals("styled_conv_up"));
        return new Case(m, (ops, run, in) ->
            out("out", m.forward(ops, in.get("x"), in.get("style"), in.get("noise"))));
      }
      case "torgb_skip": {
        ToRGB m = new ToRGB("", 8, 32, true);
        return new Case(m, (ops, run, in) ->
            out("out", m.forward(ops, in.get("x"), in.get("style"), in.get("skip"))));
      }
      case "torgb_noskip": {
        ToRGB m = new ToRGB("", 8, 32, false);
        return new Case(m, (ops, run, in) ->
            out("out", m.forward(ops, in.get("x"), in.get("style"), null)));
      }
      case "upsample": {
        Upsample m = new Upsample("", BLUR, 2);
        return new Case(m, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
      }
      case "blur_up": {
        Blur m = new Blur("", BLUR, 1, 1, 2);
        return new Case(m, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
      }
      case "constant_input": {
        ConstantInput m = new ConstantInput("", 16, 4);
        return new Case(m, (ops, run, in) ->
            out("out", m.forward(ops, Math.toIntExact(ops.shape(in.get("latent"))[0]))));
      }
      case "bottleneck_ir_se_16_16_s2":
        return bottleneck(new BottleneckIRSE("", 16, 16, 2));
      case "bottleneck_ir_se_16_32_s2":
        return bottleneck(new BottleneckIRSE("", 16, 32, 2));
      case "bottleneck_ir_se_32_32_s1":
        return bottleneck(new BottleneckIRSE("", 32, 32, 1));
      case "se_module": {
        SEModule m = new SEModule("", 32, 16);
        return new Case(m, (ops, run, in) -> {
          Map<String, NDArray> o = out("out", m.forward(ops, in.get("x")));
          o.put("mid_gate", m.gate(ops, in.get("x")));
          return o;
        });
      }
      case "input_layer": {
        InputLayer m = new InputLayer("input_layer.", 3, 16);
        return new Case(m, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
      }
      case "input_layer_nc19":
      case "input_layer_nc17": {
        // channel counts that oneDNN pads in its blocked layouts (docs/parity.md)
        InputLayer m = new InputLayer("input_layer.", name.endsWith("19") ? 19 : 17, 64);
        return new Case(m, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
      }
      case "gradual_style_block_s16":
        return styleBlock(new GradualStyleBlock("", 32, 32, 16));
      case "gradual_style_block_s64":
        return styleBlock(new GradualStyleBlock("", 32, 32, 64));
      case "fpn_upsample_add":
        return new Case(null, (ops, run, in) ->
            out("out", GradualStyleEncoder.upsampleAdd(ops, in.get("x"), in.get("y"))));
      case "adaptive_avg_pool_7_from_16":
        return pool(new AdaptiveAvgPool2d(7, 7));
      case "adaptive_avg_pool_8_from_32":
        return pool(new AdaptiveAvgPool2d(8, 8));
      case "output_layer_2": {
        OutputLayer2 m = new OutputLayer2("output_layer_2.", 8, 16);
        return new Case(m, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
      }
      case "generator_small":
        return generatorSmall();
      default:
        throw new AssertionError("no module mapping for fixture case " + name
            + "; add it to ModuleParityTest.build");
    }
  }

  private static Case modconv(ModulatedConv2d m) {
    return new Case(m, (ops, run, in) -> {
      Map<String, NDArray> o = out("out", m.forward(ops, in.get("x"), in.get("style")));
      o.put("mid_modulation", m.modulation(ops, in.get("style")));
      return o;
    });
  }

  private static Case bottleneck(BottleneckIRSE m) {
    return new Case(m, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
  }

  private static Case styleBlock(GradualStyleBlock m) {
    return new Case(m, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
  }

  private static Case pool(AdaptiveAvgPool2d m) {
    return new Case(null, (ops, run, in) -> out("out", m.forward(ops, in.get("x"))));
  }

  /** {@code Generator(16, 32, 8)} with channels {4:16, 8:16, 16:8}: the four official calls. */
  static Generator smallGenerator() {
    return new Generator("", 16, 32, 8, Map.of(4, 16, 8, 16, 16, 8), BLUR, 0.01);
  }

  private static Case generatorSmall() {
    Generator g = smallGenerator();
    return new Case(g, (ops, run, in) -> {
      NDArray styles = in.get("styles");
      List<NDArray> noise = g.storedNoises(ops);
      NDArray latent;
      Map<String, NDArray> o = new LinkedHashMap<>();
      switch (run) {
        case "wplus":
          latent = styles;
          break;
        case "w2d":
          latent = repeatRows(ops, styles, g.nLatent());
          break;
        case "z": {
          NDArray w = g.mapping(ops, styles);
          o.put("mid_mapping", w);
          latent = repeatRows(ops, w, g.nLatent());
          break;
        }
        case "wplus_noise":
          latent = styles;
          noise = new ArrayList<>();
          for (int i = 0; i < g.numLayers(); i++) {
            noise.add(in.get("noise" + i));
          }
          break;
        default:
          throw new AssertionError("unknown generator_small run " + run);
      }
      // the 2-D runs go through the generator's own 2-D path, not the repeated tensor
      NDArray codes = run.equals("w2d") ? styles : run.equals("z") ? o.get("mid_mapping") : latent;
      o.put("image", g.forward(ops, codes, noise));
      o.put("latent", latent);
      return o;
    });
  }

  private static NDArray repeatRows(DjlTensorOps ops, NDArray w, int n) {
    long d = ops.shape(w)[1];
    return ops.concat(Collections.nCopies(n, ops.reshape(w, -1, 1, d)), 1);
  }

  // ---- the tests --------------------------------------------------------------------------------

  @TestFactory
  Stream<DynamicNode> everyFixtureCase(TestReporter reporter) {
    FixtureIndex index = FixtureIndex.load();
    List<String> names = index.caseNames();
    assertThat(names).as("fixture cases").hasSize(28).contains("input_layer_nc19", "input_layer_nc17");
    return names.stream().map(name -> {
      List<DynamicNode> tests = new ArrayList<>();
      tests.add(DynamicTest.dynamicTest("state_dict spec", () -> checkSpec(index, name)));
      for (String run : index.runNames(name)) {
        tests.add(DynamicTest.dynamicTest("run " + run, () -> checkRun(index, name, run, reporter)));
        if (SINGLE_SAMPLE_CASES.contains(name)) {
          tests.add(DynamicTest.dynamicTest("run " + run + " one sample at a time",
              () -> checkSamples(index, name, run, reporter)));
        }
      }
      return DynamicContainer.dynamicContainer(name + " = " + index.constructor(name), tests);
    });
  }

  /**
   * Cases whose modules take a different path for a single sample (the modulated convolutions
   * build the per-sample weight): they are also run on each sample of the batched fixture inputs
   * alone and compared with that sample of the reference outputs.
   */
  static final java.util.Set<String> SINGLE_SAMPLE_CASES = java.util.Set.of("modconv_3x3_demod",
      "modconv_3x3_demod_up", "modconv_1x1_nodemod", "styled_conv", "styled_conv_up", "torgb_skip",
      "torgb_noskip", "generator_small");

  private static void checkSamples(FixtureIndex index, String name, String runName,
      TestReporter reporter) {
    Case c = build(name);
    FixtureIndex.Run run = index.run(name, runName);
    long batch = run.outputs().values().iterator().next().shape()[0];
    assertThat(batch).as("%s/%s batch", name, runName).isGreaterThan(1);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      Map<String, TensorData> in = new LinkedHashMap<>();
      for (Map.Entry<String, TensorData> e : run.inputs().entrySet()) {
        in.put(e.getKey(), e.getValue().shape()[0] == batch ? sample(e.getValue(), i) : e.getValue());
      }
      try (NDManager paramsManager = root.newSubManager()) {
        Map<String, NDArray> params = DjlTensorOps.toNDArrays(paramsManager, index.params(name));
        Map<String, NDArray> inputs = DjlTensorOps.toNDArrays(paramsManager, in);
        try (NDManager call = paramsManager.newSubManager()) {
          Map<String, NDArray> got = c.forward().apply(new DjlTensorOps(call, params), runName, inputs);
          for (Map.Entry<String, TensorData> e : run.outputs().entrySet()) {
            NDArray g = got.get(e.getKey());
            assertThat(g).as("%s/%s computes output %s", name, runName, e.getKey()).isNotNull();
            String label = name + "/" + runName + "[" + i + "] " + e.getKey();
            double diff = compare(label, DjlTensorOps.toTensorData(g), sample(e.getValue(), i),
                failures);
            MEASURED.put(label, diff);
            reporter.publishEntry(label + " max_abs_diff", String.format("%.3g", diff));
          }
        }
      }
    }
    assertThat(failures).as("outputs outside 1e-5 + 1e-5·|ref|").isEmpty();
  }

  /** Sample i of a float tensor, as a batch of one. */
  static TensorData sample(TensorData t, int i) {
    long[] shape = t.shape().clone();
    int n = Math.toIntExact(t.numel() / shape[0]);
    shape[0] = 1;
    return TensorData.ofFloats(Arrays.copyOfRange(t.toFloatArray(), i * n, (i + 1) * n), shape);
  }

  private static void checkSpec(FixtureIndex index, String name) {
    Case c = build(name);
    List<String> expected = index.stateDict(name).stream()
        .map(k -> k.key() + " " + Arrays.toString(k.shape()) + " " + k.dtype()).toList();
    List<String> declared = c.layer() == null ? List.of()
        : c.layer().stateDictSpec().entries().stream()
            .map(e -> e.key() + " " + Arrays.toString(e.shape()) + " "
                + e.dtype().name().toLowerCase())
            .toList();
    assertThat(declared).containsExactlyElementsOf(expected);
    if (c.layer() != null) {
      StateDictSpec spec = c.layer().stateDictSpec();
      assertThat(spec.validateTensors(index.params(name))).as("validateTensors").isEmpty();
    }
  }

  private static void checkRun(FixtureIndex index, String name, String runName,
      TestReporter reporter) {
    Case c = build(name);
    FixtureIndex.Run run = index.run(name, runName);
    try (NDManager paramsManager = root.newSubManager()) {
      Map<String, NDArray> params = DjlTensorOps.toNDArrays(paramsManager, index.params(name));
      Map<String, NDArray> inputs = DjlTensorOps.toNDArrays(paramsManager, run.inputs());
      try (NDManager call = paramsManager.newSubManager()) {
        DjlTensorOps ops = new DjlTensorOps(call, params);
        Map<String, NDArray> got = c.forward().apply(ops, runName, inputs);
        Map<String, TensorData> expected = new LinkedHashMap<>(run.outputs());
        run.intermediates().forEach((k, v) -> {
          if (got.containsKey("mid_" + k)) {
            expected.put("mid_" + k, v);
          }
        });
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, TensorData> e : expected.entrySet()) {
          NDArray g = got.get(e.getKey());
          assertThat(g).as("%s/%s computes output %s", name, runName, e.getKey()).isNotNull();
          String label = name + "/" + runName + " " + e.getKey();
          double diff = compare(label, DjlTensorOps.toTensorData(g), e.getValue(), failures);
          MEASURED.put(label, diff);
          reporter.publishEntry(label + " max_abs_diff", String.format("%.3g", diff));
          System.out.printf("%-52s max abs diff %.3g%n", label, diff);
        }
        assertThat(failures).as("outputs outside 1e-5 + 1e-5·|ref|").isEmpty();
      }
    }
  }

  /** Max abs difference; appends a failure line if any element exceeds the tolerance. */
  static double compare(String label, TensorData got, TensorData ref, List<String> failures) {
    if (!Arrays.equals(got.shape(), ref.shape())) {
      failures.add(label + ": shape " + Arrays.toString(got.shape()) + ", expected "
          + Arrays.toString(ref.shape()));
      return Double.NaN;
    }
    float[] g = got.toFloatArray();
    float[] r = ref.toFloatArray();
    double worst = 0;
    int bad = -1;
    for (int i = 0; i < g.length; i++) {
      double d = Math.abs((double) g[i] - r[i]);
      if (!(d <= ATOL + RTOL * Math.abs(r[i])) && bad < 0) {
        bad = i;
      }
      if (!(d <= worst)) {
        worst = d;
      }
    }
    if (bad >= 0) {
      failures.add(label + ": element " + bad + " is " + g[bad] + ", expected " + r[bad]
          + " (max abs diff " + worst + ")");
    }
    return worst;
  }
}
