package dev.psp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.io.TensorData;
import org.junit.jupiter.api.Test;

/** The parity report's numbers, limits, float64 rule and line layouts (docs/parity.md quotes them). */
class ParityReportTest {
  static TensorData t(float... v) {
    return TensorData.ofFloats(v, v.length);
  }

  @Test
  void absoluteAndRelativeDifferencesAreCheckedAgainstTheirLimits() {
    ParityReport r = new ParityReport("parity case", ParityReport.Layout.DETAILED);
    r.absolute("image_full", t(0, 0.5f), t(0, 0.5004f));
    r.absolute("image_from_z", t(0, 0.5f), t(0, 0.502f), ParityReport.IMAGE_ATOL);
    r.relative("codes", t(10, -20), t(10, -20.001f), ParityReport.CODE_RTOL);
    r.relative("mix_latent", t(10, -20), t(10, -20.01f), ParityReport.CODE_RTOL);
    assertThat(r.failures()).containsExactly("image_from_z", "mix_latent");
    assertThat(r.toString().lines().toList()).containsExactly(
        "parity case:",
        "  image_full         max abs diff 4.000e-04 (limit 1.0e-03)",
        "  image_from_z       max abs diff 2.000e-03 (limit 1.0e-03)",
        "  codes              max abs diff 9.995e-04, relative to max |ref| 4.997e-05 (limit 1e-04)",
        "  mix_latent         max abs diff 1.000e-02, relative to max |ref| 4.998e-04 (limit 1e-04)");
    assertThatThrownBy(r::printAndAssertPassed).isInstanceOf(AssertionError.class)
        .hasMessageContaining("image_from_z");
  }

  @Test
  void aFloat32ReferenceFarFromFloat64RaisesTheImageBudget() {
    ParityReport r = new ParityReport("onnx parity case", ParityReport.Layout.COMPACT);
    TensorData exact = t(0, 1);
    r.float64("onnx", t(0, 1.002f), t(0, 1.003f), exact, 0);
    assertThat(r.imageBudget()).isCloseTo(0.0075, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.failures()).isEmpty();
    r.line("%-14s %.2e", "codes", 1.5e-6);
    r.check("codes", 1.5e-6, ParityReport.CODE_RTOL);
    assertThat(r.toString().lines().toList()).containsExactly(
        "onnx parity case:",
        "  float64 check  onnx vs float64 2.00e-03, official float32 vs float64 3.00e-03, float32 noise floor "
            + "3.00e-03 -> image budget 7.50e-03",
        "  codes          1.50e-06");
    r.printAndAssertPassed();
  }

  @Test
  void anEngineFartherFromFloat64ThanTheNoiseFloorFails() {
    ParityReport r = new ParityReport("parity case", ParityReport.Layout.DETAILED);
    r.float64("java", t(0, 1.006f), t(0, 1.003f), t(0, 1), 0.0035);
    assertThat(r.failures()).containsExactly("float64");
    assertThat(r.toString()).contains("  float64 check      java vs float64 6.000e-03, official float32 vs float64 "
        + "3.000e-03, float32 noise floor 3.500e-03 -> image budget 8.75e-03");
  }

  @Test
  void theOfficialCodesOwnSpreadUnderOneUlpInputChangesSetsTheNoiseFloor() {
    ParityReport r = new ParityReport("parity case", ParityReport.Layout.DETAILED);
    r.float64("java", t(0, 1.006f), t(0, 1.001f), t(0, 1), 0.0045);
    assertThat(r.failures()).isEmpty();
    assertThat(r.imageBudget()).isCloseTo(0.01125, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void aCloseFloat32ReferenceKeepsThePlainBudget() {
    ParityReport r = new ParityReport("parity case", ParityReport.Layout.DETAILED);
    r.float64("java", t(0, 1.0009f), t(0, 1.0001f), t(0, 1), 0.0008);
    assertThat(r.imageBudget()).isEqualTo(ParityReport.IMAGE_ATOL);
    assertThat(r.failures()).isEmpty();
    assertThat(r.toString()).doesNotContain("image budget");
  }

  @Test
  void nanAndShapeMismatchesNeverPass() {
    ParityReport r = new ParityReport("parity case", ParityReport.Layout.DETAILED);
    r.absolute("image_full", t(0, Float.NaN), t(0, 0), 1);
    assertThat(r.failures()).containsExactly("image_full");
    assertThat(ParityReport.maxAbs(t(1, Float.NaN, 5), t(1, 0, 0))).isNaN();
    assertThatThrownBy(() -> ParityReport.maxAbs(t(1, 2), t(1, 2, 3))).isInstanceOf(AssertionError.class);
    assertThat(ParityReport.maxMagnitude(t(1, -3, 2))).isEqualTo(3);
  }
}
