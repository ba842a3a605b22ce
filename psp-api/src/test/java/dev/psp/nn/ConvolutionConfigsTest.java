package dev.psp.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.EncoderType;
import dev.psp.testing.ConvolutionSweepTest;
import dev.psp.testing.ShapeOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The engines' convolution sweep ({@link ConvolutionSweepTest}) covers every convolution the pSp
 * networks run: each encoder type, input_nc 1, 3 and 19 (4, 6 and 22 for ReStyle's), output sizes 256 and 1024, batch 1 and 2,
 * encoder, decoder (stored noise), mapping and face_pool, traced on shapes.
 */
class ConvolutionConfigsTest {

  @Test
  void theSweepCoversEveryConvolutionOfThePspNetworks() {
    Set<String> traced = new TreeSet<>();
    List<String> networks = new ArrayList<>();
    for (EncoderType type : EncoderType.values()) {
      // ReStyle's encoders read the image and the 3-channel reconstruction
      for (int nc : type.isReStyle() ? new int[] {4, 6, 22} : new int[] {1, 3, 19}) {
        for (int size : new int[] {256, 1024}) {
          PspNetwork net = new PspNetwork(size, nc, type);
          for (long batch : new long[] {1, 2}) {
            ShapeOps ops = new ShapeOps(net.stateDictSpec());
            long[] codes = net.encode(ops, new long[] {batch, nc, 256, 256});
            long[] wplus = codes.length == 2 ? new long[] {batch, net.nStyles(), codes[1]} : codes;
            long[] image = net.decode(ops, wplus, net.storedNoises(ops));
            net.facePool(ops, image);
            net.mapping(ops, new long[] {batch, net.styleDim()});
            traced.addAll(ops.convolutions());
          }
          networks.add(net.toString());
        }
      }
    }
    Set<String> swept = new TreeSet<>();
    ConvolutionSweepTest.CONFIGS.forEach(c -> swept.add(c.shapeKey()));
    System.out.println("convolutions of " + networks.size() + " pSp networks: " + traced);
    assertThat(traced).as("convolutions the networks run").isNotEmpty();
    assertThat(swept).as("the sweep's configurations").containsAll(traced);
  }
}
