package dev.psp.djl;

import dev.psp.testing.FamilyCase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * e4e and ReStyle checkpoints on the pytorch engine against the official encoder4editing and
 * restyle-encoder code ({@code make_family_reference.py}): codes, images, every ReStyle step and the
 * official InterFaceGAN and GANSpace edits. The small references run in every build; full-size ones in
 * the parity profile ({@code -Pparity -Dpsp.family.reference.dir=/tmp/psp-family-ref}).
 */
class FamilyParityTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.psp.testing.FamilyCase#small")
  void smallReferencesMatchTheOfficialCode(FamilyCase c) throws Exception {
    c.check("pytorch").printAndAssertPassed();
  }

  @Tag("parity")
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.psp.testing.FamilyCase#full")
  void fullSizeReferencesMatchTheOfficialCode(FamilyCase c) throws Exception {
    c.check("pytorch").printAndAssertPassed();
  }
}
