package dev.psp.djl;

import dev.psp.OutputSize;
import static dev.psp.testing.ParityReport.CODE_RTOL;
import static dev.psp.testing.ParityReport.IMAGE_ATOL;

import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.StyleMixer;
import dev.psp.io.TensorData;
import dev.psp.testing.ParityReport;
import dev.psp.testing.ReferenceCase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full-model parity with the official code, on references made by
 * {@code psp-api/src/test/python/fixtures/make_reference.py} (a random official-format checkpoint and the official
 * outputs for it). Runs in the {@code parity} profile:
 * {@code mvn -Pparity -pl psp-djl-pytorch -am verify -Dpsp.reference.dir=/tmp/psp-ref}.
 */
@Tag("parity")
class OfficialParityTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.psp.testing.ReferenceCase#all")
  void pytorchEngineMatchesTheOfficialOutputs(ReferenceCase ref) throws Exception {
    ParityReport r = new ParityReport("parity " + ref.name(), ParityReport.Layout.DETAILED);
    try (PspModel m = Psp.load(ref.checkpoint(), LoadOptions.defaults().optEngine("pytorch"))) {
      LatentCode codes = m.encoder().encode(ref.read("input_x"));
      r.relative("codes", codes.toTensor(), ref.read("codes"), CODE_RTOL);
      TensorData full = m.generator().synthesize(codes, Noise.fixed(), OutputSize.FULL);
      if (ref.has("image_full_f64")) {
        r.float64("java", full, ref.read("image_full"), ref.read("image_full_f64"), ref.float32Spread());
      }
      r.absolute("image_full", full, ref.read("image_full"));
      r.absolute("image_pool256", m.generator().synthesize(codes, Noise.fixed(), OutputSize.POOLED), ref.read("image_pool256"));
      LatentCode inject = m.generator().mapping(ref.read("z_inject"));
      r.relative("inject_latent", inject.toTensor(), ref.read("inject_latent"), CODE_RTOL);
      r.absolute("image_from_z", m.generator().synthesize(inject, Noise.fixed(), OutputSize.FULL), ref.read("image_from_z"),
          IMAGE_ATOL); // no encoder in this path: the plain budget always applies
      LatentCode mixed = StyleMixer.of(ref.latentMask(), ref.mixAlpha()).mix(codes, inject);
      r.relative("mix_latent", mixed.toTensor(), ref.read("mix_latent"), CODE_RTOL);
      r.absolute("image_mix_pool256", m.generator().synthesize(mixed, Noise.fixed(), OutputSize.POOLED),
          ref.read("image_mix_pool256"));
    }
    r.printAndAssertPassed();
  }
}
