package dev.psp.align.dlib;

import dev.psp.align.FaceBox;
import dev.psp.align.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * dlib's frontal face detector ({@code dlib.get_frontal_face_detector()}): five linear filters over
 * fHOG features (Dalal and Triggs' HOG in Felzenszwalb's variant) slid over an image pyramid that
 * shrinks by 5/6 per level, detections of all five merged by greedy non-maximum suppression. The
 * weights are dlib's own serialized detector, bundled as a resource.
 *
 * <p>{@link #detect(RgbImage, int)} gives what the Python binding's {@code detector(img, upsample)}
 * gives, box for box; scores and features are computed in dlib's float order. Thread-safe: the
 * filters are immutable and each call works on its own buffers.
 */
public final class FrontalFaceDetector {
  private static final String RESOURCE = "frontal_face_detector.dat";
  private static final int OBJECT_DETECTOR_VERSION = 2;
  private static final int SCANNER_VERSION = 1;
  private static final double PYRAMID_UP_RATE = 6 / (6 - 1.0);
  private static final double PYRAMID_DOWN_RATE = (6 - 1.0) / 6;

  private final int minLevelWidth;
  private final int minLevelHeight;
  private final long maxLevels;
  private final double iouThreshold;
  private final double coveredThreshold;
  private final List<SeparableFilterBank> filters;
  private final boolean parallel;

  private FrontalFaceDetector(int minW, int minH, long maxLevels, double iou, double covered,
      List<SeparableFilterBank> filters, boolean parallel) {
    this.minLevelWidth = minW;
    this.minLevelHeight = minH;
    this.maxLevels = maxLevels;
    this.iouThreshold = iou;
    this.coveredThreshold = covered;
    this.filters = filters;
    this.parallel = parallel;
  }

  /** The detector dlib ships, working on all cores ({@code parallel}) or on the calling thread only. */
  public static FrontalFaceDetector load(boolean parallel) {
    try (InputStream in = FrontalFaceDetector.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " missing from the psp-align jar");
      }
      return read(ByteBuffer.wrap(in.readAllBytes()), RESOURCE, parallel);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a serialized {@code object_detector<scan_fhog_pyramid<pyramid_down<6>>>} (version 2, as
   * {@code dlib::serialize} writes it).
   */
  static FrontalFaceDetector read(ByteBuffer bytes, String source, boolean parallel) {
    DlibInput in = new DlibInput(bytes, source);
    expect(in, in.signed(4), OBJECT_DETECTOR_VERSION, "object_detector version");
    expect(in, in.signed(4), SCANNER_VERSION, "scan_fhog_pyramid version");
    in.count(0, "cached feature pyramid size");
    in.count(0, "cached feature pyramid size");
    expect(in, in.signed(4), Fhog.CELL, "cell size");
    expect(in, in.unsigned(), 0, "padding");
    expect(in, in.unsigned(), 80, "window width");
    expect(in, in.unsigned(), 80, "window height");
    long maxLevels = in.unsigned();
    int minW = in.count(1 << 20, "minimum pyramid level width");
    int minH = in.count(1 << 20, "minimum pyramid level height");
    in.float64(); // nuclear norm regularization strength: training only
    int dims = Fhog.PLANES * SeparableFilterBank.SIZE * SeparableFilterBank.SIZE;
    expect(in, in.signed(8), dims, "feature dimensions");
    double iou = in.float64();
    double covered = in.float64();
    int n = in.count(64, "number of filters");
    List<SeparableFilterBank> filters = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int at = in.position();
      double[] w = in.doubleColumn(dims + 1);
      if (w.length != dims + 1) {
        throw in.error(at, "filter " + i + " has " + w.length + " weights, expected " + (dims + 1));
      }
      SeparableFilterBank bank = SeparableFilterBank.of(w);
      if (bank.terms() > Fhog.PLANES * SeparableFilterBank.SIZE / 3.0) {
        throw in.error(at, "filter " + i + " needs dlib's non-separable path (" + bank.terms() + " terms), not supported");
      }
      filters.add(bank);
    }
    if (!in.atEnd()) {
      throw in.error(in.position(), "unexpected data after the detector");
    }
    return new FrontalFaceDetector(minW, minH, maxLevels, iou, covered, List.copyOf(filters), parallel);
  }

  private static void expect(DlibInput in, long got, long want, String what) {
    if (got != want) {
      throw in.error(in.position(), what + " is " + got + ", expected " + want + ": not dlib's frontal face detector");
    }
  }

  /**
   * The faces in {@code image}, strongest first, as Python's {@code detector(img, upsample)}: the image
   * is first enlarged {@code upsample} times by dlib's {@code pyramid_up} so smaller faces are found
   * (about 80 px and up at 0, 40 px at 1), and the boxes mapped back.
   */
  public List<Detection> detect(RgbImage image, int upsample) {
    if (upsample < 0 || upsample > 4) {
      throw new IllegalArgumentException("upsample must be 0..4, got " + upsample);
    }
    Rgb8 img = Rgb8.of(image);
    for (int k = 0; k < upsample; k++) {
      img = pyramidUp(img);
    }
    List<Detection> found = detectUnscaled(img);
    if (upsample == 0) {
      return found;
    }
    List<Detection> out = new ArrayList<>(found.size());
    for (Detection d : found) {
      out.add(new Detection(rectDown2(d.box(), upsample), d.confidence(), d.weightIndex()));
    }
    return out;
  }

  /** dlib's {@code object_detector::operator()} with threshold adjustment 0. */
  List<Detection> detectUnscaled(Rgb8 img) {
    int levels = levels(img.width, img.height);
    Rgb8[] pyramid = new Rgb8[levels];
    pyramid[0] = img;
    for (int l = 1; l < levels; l++) {
      Rgb8 prev = pyramid[l - 1];
      pyramid[l] = DlibResize.resize(prev, (int) (5L * prev.width / 6), (int) (5L * prev.height / 6));
    }
    int f = filters.size();
    // one task per (level, filter); each level's features are computed once, by the first task that needs them
    Fhog.Planes[] features = new Fhog.Planes[levels];
    IntStream levelStream = IntStream.range(0, levels);
    (parallel ? levelStream.parallel() : levelStream).forEach(l -> features[l] = Fhog.extract(
        pyramid[l], SeparableFilterBank.SIZE, SeparableFilterBank.SIZE));
    @SuppressWarnings("unchecked")
    List<Candidate>[] perTask = new List[levels * f];
    IntStream tasks = IntStream.range(0, levels * f);
    (parallel ? tasks.parallel() : tasks).forEach(t -> {
      int l = t / f;
      int i = t % f;
      perTask[t] = features[l] == null ? List.of() : scan(features[l], filters.get(i), l);
    });
    List<Candidate> all = new ArrayList<>();
    for (int i = 0; i < f; i++) {
      // dlib sorts each filter's detections by score, then all of them by confidence
      List<Candidate> one = new ArrayList<>();
      for (int l = 0; l < levels; l++) {
        one.addAll(perTask[l * f + i]);
      }
      one.sort(Comparator.comparingDouble((Candidate c) -> c.score).reversed());
      for (Candidate c : one) {
        all.add(new Candidate(c.score, c.score - filters.get(i).threshold, i, c.box));
      }
    }
    all.sort(Comparator.comparingDouble((Candidate c) -> c.confidence).reversed());
    List<Detection> kept = new ArrayList<>();
    for (Candidate c : all) {
      boolean overlaps = false;
      for (Detection k : kept) {
        if (overlaps(k.box(), c.box)) {
          overlaps = true;
          break;
        }
      }
      if (!overlaps) {
        kept.add(new Detection(c.box, c.confidence, c.weightIndex));
      }
    }
    return kept;
  }

  private record Candidate(double score, double confidence, int weightIndex, FaceBox box) {}

  /** Every window of one level whose score reaches the filter's threshold, boxes in level-0 pixels. */
  private List<Candidate> scan(Fhog.Planes feats, SeparableFilterBank bank, int level) {
    float[] score = SeparableScore.score(feats, bank);
    List<Candidate> out = new ArrayList<>();
    int rows = feats.rows;
    int cols = feats.cols;
    int half = SeparableFilterBank.SIZE / 2;
    for (int y = half; y <= rows - half; y++) {
      for (int x = half; x <= cols - half; x++) {
        float s = score[y * cols + x];
        if ((double) s >= bank.threshold) {
          FaceBox cells = new FaceBox(x - half, y - half, x + half - 1, y + half - 1);
          FaceBox pixels = new FaceBox(fhogToImage(cells.left()), fhogToImage(cells.top()),
              fhogToImage(cells.right()), fhogToImage(cells.bottom()));
          out.add(new Candidate(s, 0, 0, rectUp(pixels, level)));
        }
      }
    }
    return out;
  }

  /** dlib's {@code fhog_to_image} for 8-pixel cells and a 10-cell filter padding, one coordinate. */
  static long fhogToImage(long v) {
    int pad = (SeparableFilterBank.SIZE - 1) / 2;
    long q = (v + 1 - pad) * Fhog.CELL + 1;
    return q + (q >= 0 ? Fhog.CELL / 2 : -Fhog.CELL / 2);
  }

  /** {@code pyramid_down<6>::rect_up(rect, levels)}: both corners scaled up, rounded once. */
  static FaceBox rectUp(FaceBox r, int levels) {
    double l = r.left();
    double t = r.top();
    double rr = r.right();
    double b = r.bottom();
    for (int k = 0; k < levels; k++) {
      l = l * PYRAMID_UP_RATE + 0.3;
      t = t * PYRAMID_UP_RATE + 0.3;
      rr = rr * PYRAMID_UP_RATE + 0.3;
      b = b * PYRAMID_UP_RATE + 0.3;
    }
    return new FaceBox(round(l), round(t), round(rr), round(b));
  }

  /** {@code pyramid_down<2>::rect_down(rect, levels)}: the map back from {@code pyramid_up}. */
  static FaceBox rectDown2(FaceBox r, int levels) {
    double l = r.left();
    double t = r.top();
    double rr = r.right();
    double b = r.bottom();
    for (int k = 0; k < levels; k++) {
      l = l / 2.0 - 1.25;
      t = t / 2.0 - 0.75;
      rr = rr / 2.0 - 1.25;
      b = b / 2.0 - 0.75;
    }
    return new FaceBox(round(l), round(t), round(rr), round(b));
  }

  /** dlib's {@code pyramid_up} with {@code pyramid_down<2>}: about twice the size, bilinear. */
  static Rgb8 pyramidUp(Rgb8 img) {
    // the image rectangle mapped up: ((x + 1.25) * 2, (y + 0.75) * 2), rounded
    long right = round((img.width - 1 + 1.25) * 2);
    long bottom = round((img.height - 1 + 0.75) * 2);
    return DlibResize.resize(img, Math.toIntExact(right + 1), Math.toIntExact(bottom + 1));
  }

  /** How many pyramid levels dlib scans, from its rounded rectangle estimates of the level sizes. */
  int levels(int width, int height) {
    long l = 0;
    long t = 0;
    long r = width - 1;
    long b = height - 1;
    int levels = 0;
    do {
      l = round((l - 0.3) * PYRAMID_DOWN_RATE);
      t = round((t - 0.3) * PYRAMID_DOWN_RATE);
      r = round((r - 0.3) * PYRAMID_DOWN_RATE);
      b = round((b - 0.3) * PYRAMID_DOWN_RATE);
      levels++;
    } while (r - l + 1 >= minLevelWidth && b - t + 1 >= minLevelHeight && levels < maxLevels);
    return levels;
  }

  /** dlib's {@code test_box_overlap}: "IoU" over the span of both boxes, or one box mostly covered. */
  boolean overlaps(FaceBox a, FaceBox b) {
    double inner = a.intersect(b).area();
    if (inner == 0) {
      return false;
    }
    double outer = a.span(b).area();
    return inner / outer > iouThreshold || inner / a.area() > coveredThreshold || inner / b.area() > coveredThreshold;
  }

  /** dlib's rounding of double coordinates, {@code floor(v + 0.5)}. */
  static long round(double v) {
    return (long) Math.floor(v + 0.5);
  }
}
