package dev.psp.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full-size models on the onnx engine, against the pytorch engine and the official outputs recorded by
 * {@code ../shared/fixtures/make_reference.py} (see docs/parity.md). Runs in the {@code parity}
 * profile: {@code mvn -Pparity -pl psp-onnx -am test -Dpsp.reference.dir=/tmp/psp-ref}.
 *
 * <p>Limits: the engine contract — onnx within 1e-4 (relative to the largest magnitude) of pytorch on
 * codes and 1e-3 max abs on images, against pytorch and against the official float32 outputs. The
 * float64 rule of docs/parity.md applies unchanged: where the official float32 image is itself farther
 * than 1e-3 from the float64 result ({@code image_full_f64.npy}, the ill-conditioned sketch
 * reference), onnx must be at least as close to float64 as the official output, and the budget for
 * the encoder-derived images becomes twice the official error.
 */
@Tag("parity")
class OnnxOfficialParityTest {
  static Stream<Path> references() throws IOException {
    String dir = System.getProperty("psp.reference.dir");
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException("set -Dpsp.reference.dir to the folder holding make_reference.py outputs");
    }
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      return s.filter(p -> Files.isRegularFile(p.resolve("index.json"))).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("references")
  void onnxEngineMatchesPytorchAndTheOfficialOutputs(Path dir) throws Exception {
    Path ckpt;
    try (Stream<Path> s = Files.list(dir)) {
      ckpt = s.filter(p -> p.getFileName().toString().matches("psp_random_.*\\d\\.pt")).findFirst().orElseThrow();
    }
    TensorData x = Npy.read(dir.resolve("input_x.npy"));
    TensorData z = Npy.read(dir.resolve("z_inject.npy"));
    List<TensorData> torch = outputs(ckpt, "pytorch", x, z);
    List<TensorData> onnx = outputs(ckpt, "onnx", x, z);
    String[] names = {"codes", "image_full", "image_pool256", "inject_latent", "image_from_z"};
    StringBuilder report = new StringBuilder("onnx parity " + dir.getFileName() + ":");
    List<String> failures = new ArrayList<>();
    double imageBudget = 1e-3;
    if (Files.exists(dir.resolve("image_full_f64.npy"))) {
      TensorData exact = Npy.read(dir.resolve("image_full_f64.npy"));
      double onnxErr = maxAbs(onnx.get(1), exact);
      double officialErr = maxAbs(Npy.read(dir.resolve("image_full.npy")), exact);
      report.append(String.format(Locale.ROOT,
          "%n  float64 check  onnx vs float64 %.2e, official float32 vs float64 %.2e", onnxErr, officialErr));
      if (officialErr > imageBudget) {
        if (onnxErr > officialErr) {
          failures.add("float64");
        }
        imageBudget = 2 * officialErr;
        report.append(String.format(Locale.ROOT, " -> image budget %.2e", imageBudget));
      }
    }
    for (int i = 0; i < names.length; i++) {
      TensorData official = Npy.read(dir.resolve(names[i] + ".npy"));
      boolean code = names[i].equals("codes") || names[i].equals("inject_latent");
      double scale = code ? maxMagnitude(official) : 1;
      double vsTorch = maxAbs(onnx.get(i), torch.get(i)) / scale;
      double vsOfficial = maxAbs(onnx.get(i), official) / scale;
      double torchVsOfficial = maxAbs(torch.get(i), official) / scale;
      double limit = code ? 1e-4 : names[i].equals("image_from_z") ? 1e-3 : imageBudget;
      report.append(String.format(Locale.ROOT,
          "%n  %-14s onnx-pytorch %.2e  onnx-official %.2e  (pytorch-official %.2e)%s",
          names[i], vsTorch, vsOfficial, torchVsOfficial, code ? " relative" : ""));
      if (!(vsTorch <= limit)) {
        failures.add(names[i] + " vs pytorch");
      }
      if (!(vsOfficial <= limit)) {
        failures.add(names[i] + " vs official");
      }
    }
    System.out.println(report);
    assertThat(failures).as(report.toString()).isEmpty();
  }

  /** codes, image_full, image_pool256, inject_latent, image_from_z; the model is closed afterwards. */
  static List<TensorData> outputs(Path ckpt, String engine, TensorData x, TensorData z) throws Exception {
    try (PspModel m = Psp.load(ckpt, LoadOptions.defaults().optEngine(engine))) {
      LatentCode codes = m.encoder().encode(x);
      LatentCode inject = m.generator().mapping(z);
      return List.of(codes.toTensor(), m.generator().synthesize(codes, Noise.fixed(), false),
          m.generator().synthesize(codes, Noise.fixed(), true), inject.toTensor(),
          m.generator().synthesize(inject, Noise.fixed(), false));
    }
  }

  static double maxMagnitude(TensorData t) {
    double m = 0;
    for (float v : t.toFloatArray()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  static double maxAbs(TensorData a, TensorData b) {
    assertThat(a.shape()).isEqualTo(b.shape());
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      double d = Math.abs(x[i] - y[i]);
      if (Double.isNaN(d)) {
        return Double.NaN;
      }
      m = Math.max(m, d);
    }
    return m;
  }
}
