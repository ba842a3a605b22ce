package dev.psp.align;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.align.dlib.DlibReference;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Memory stays flat over 1,000 alignments (detection, landmarks, FFHQ crop) in one process:
 * {@code -Dpsp.soak.count=N} changes the count.
 */
class FaceAlignerMemoryIT {
  @Test
  void thousandAlignmentsLeaveTheHeapFlat() throws Exception {
    FaceAligner aligner = ShapePredictorFixture.alignerOrSkip();
    int count = Integer.getInteger("psp.soak.count", 1000);
    DlibReference.Photo photo = DlibReference.photos().stream()
        .filter(p -> p.file().startsWith("2009_004587")).findFirst().orElseThrow();
    // the second face with a margin: a small photo keeps 1,000 runs to seconds
    RgbImage image = crop(photo.image(), 216, 231, 162, 162);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long half = 0;
    StringBuilder report = new StringBuilder();
    AlignedFace first = null;
    for (int i = 1; i <= count; i++) {
      List<AlignedFace> faces = aligner.align(image, FaceChoice.last(), photo.file());
      assertThat(faces).hasSize(1);
      if (first == null) {
        first = faces.get(0);
      } else if (i % 100 == 0) {
        // the same input gives the same output every time
        assertThat(faces.get(0).quad()).containsExactly(first.quad());
      }
      if (i == 10 || i == count / 2 || i % 250 == 0 || i == count) {
        long used = heapAfterGc(memory);
        report.append(String.format(Locale.ROOT, "%n  after %5d alignments: heap %,d kB", i, used / 1024));
        if (i == count / 2) {
          half = used;
        }
      }
    }
    long end = heapAfterGc(memory);
    System.out.println("alignment soak:" + report);
    // one kept 256x256 crop is 192 kB: keeping one per call would add 96 MB over the second half
    assertThat(end - half).as(report.toString()).isLessThan(8L << 20);
  }

  private static RgbImage crop(RgbImage image, int x0, int y0, int w, int h) {
    byte[][] p = new byte[3][w * h];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          p[c][y * w + x] = (byte) image.get(c, x0 + x, y0 + y);
        }
      }
    }
    return RgbImage.ofPlanes(w, h, p);
  }

  private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
    System.gc();
    Thread.sleep(50);
    return memory.getHeapMemoryUsage().getUsed();
  }
}
