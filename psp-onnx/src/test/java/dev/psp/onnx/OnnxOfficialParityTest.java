package dev.psp.onnx;

import dev.psp.OutputSize;
import static dev.psp.testing.ParityReport.CODE_RTOL;
import static dev.psp.testing.ParityReport.IMAGE_ATOL;
import static dev.psp.testing.ParityReport.maxAbs;
import static dev.psp.testing.ParityReport.maxMagnitude;

import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.io.TensorData;
import dev.psp.testing.ParityReport;
import dev.psp.testing.ReferenceCase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full-size models on the onnx engine, against the pytorch engine and the official outputs recorded by
 * {@code psp-api/src/test/python/fixtures/make_reference.py} (see docs/parity.md). Runs in the {@code parity}
 * profile: {@code mvn -Pparity -pl psp-onnx -am test -Dpsp.reference.dir=/tmp/psp-ref}.
 *
 * <p>Limits: the engine contract — onnx within 1e-4 (relative to the largest magnitude) of pytorch on
 * codes and 1e-3 max abs on images, against pytorch and against the official float32 outputs. The
 * float64 rule of docs/parity.md applies unchanged (see {@link ParityReport}): where the float32 noise
 * floor of a case exceeds 1e-3 ({@code image_full_f64.npy}, {@code float32_spread.json}: the
 * ill-conditioned sketch reference), onnx must be no farther from float64 than that floor,
 * and the budget for the encoder-derived images becomes twice the official error.
 */
@Tag("parity")
class OnnxOfficialParityTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.psp.testing.ReferenceCase#all")
  void onnxEngineMatchesPytorchAndTheOfficialOutputs(ReferenceCase ref) throws Exception {
    TensorData x = ref.read("input_x");
    TensorData z = ref.read("z_inject");
    List<TensorData> torch = outputs(ref.checkpoint(), "pytorch", x, z);
    List<TensorData> onnx = outputs(ref.checkpoint(), "onnx", x, z);
    String[] names = {"codes", "image_full", "image_pool256", "inject_latent", "image_from_z"};
    ParityReport report = new ParityReport("onnx parity " + ref.name(), ParityReport.Layout.COMPACT);
    if (ref.has("image_full_f64")) {
      report.float64("onnx", onnx.get(1), ref.read("image_full"), ref.read("image_full_f64"), ref.float32Spread());
    }
    for (int i = 0; i < names.length; i++) {
      TensorData official = ref.read(names[i]);
      boolean code = names[i].equals("codes") || names[i].equals("inject_latent");
      double scale = code ? maxMagnitude(official) : 1;
      double vsTorch = maxAbs(onnx.get(i), torch.get(i)) / scale;
      double vsOfficial = maxAbs(onnx.get(i), official) / scale;
      double torchVsOfficial = maxAbs(torch.get(i), official) / scale;
      double limit = code ? CODE_RTOL : names[i].equals("image_from_z") ? IMAGE_ATOL : report.imageBudget();
      report.line("%-14s onnx-pytorch %.2e  onnx-official %.2e  (pytorch-official %.2e)%s",
          names[i], vsTorch, vsOfficial, torchVsOfficial, code ? " relative" : "");
      report.check(names[i] + " vs pytorch", vsTorch, limit);
      report.check(names[i] + " vs official", vsOfficial, limit);
    }
    report.printAndAssertPassed();
  }

  /** codes, image_full, image_pool256, inject_latent, image_from_z; the model is closed afterwards. */
  static List<TensorData> outputs(Path ckpt, String engine, TensorData x, TensorData z) throws Exception {
    try (PspModel m = Psp.load(ckpt, LoadOptions.defaults().optEngine(engine))) {
      LatentCode codes = m.encoder().encode(x);
      LatentCode inject = m.generator().mapping(z);
      return List.of(codes.toTensor(), m.generator().synthesize(codes, Noise.fixed(), OutputSize.FULL),
          m.generator().synthesize(codes, Noise.fixed(), OutputSize.POOLED), inject.toTensor(),
          m.generator().synthesize(inject, Noise.fixed(), OutputSize.FULL));
    }
  }
}
