package dev.psp.cli;

import dev.psp.Direction;
import dev.psp.Encoder;
import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.PspModel;
import dev.psp.edit.BoundaryLearner;
import dev.psp.edit.ScoredSamples;
import dev.psp.synthetic.AttributeClassifier;
import dev.psp.synthetic.FaceAttribute;
import dev.psp.synthetic.FaceParams;
import dev.psp.synthetic.FaceRenderer;
import dev.psp.synthetic.SyntheticFaces;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Editing directions learned from the synthetic domain's labels, and a check that they edit what they
 * are named after. For an attribute, as InterFaceGAN does: a labeller ({@link AttributeClassifier}
 * trained on labelled rendered faces) scores the generator's own samples, and the boundary between
 * the highest- and the lowest-scored w ({@link ScoredSamples}, {@link BoundaryLearner}) gives the
 * direction. Then, on held-out faces encoded by the model, decode {@code code ± strength·direction}
 * and ask a judge (the same kind of classifier, trained on other rendered faces, never on codes)
 * which of the two shows the attribute more.
 */
final class LearnedEdits {
  /** Faces the labeller of the generator's samples is trained on. */
  static final long DIRECTION_SEED = 555_000_000L;
  /** The generator's samples the directions are learned from. */
  static final long SAMPLE_SEED = 558_000_000L;
  /** How many samples are drawn and scored. */
  static final int SAMPLES = 2048;
  /** The share of them kept on each side of the boundary. */
  static final double FRACTION = 0.25;
  /** Faces the judge is trained on, then its held-out faces. */
  static final long CLASSIFIER_SEED = 556_000_000L;
  /**
   * Labelled rendered faces each classifier (labeller, judge) is trained on. A smile is a few pixels
   * of a mouth's curve: with 4000 faces and ridge 1 the judge is right on 83 % of held-out 128-px faces,
   * with 600 and ridge 0.1 on 74 % (73 % and 70 % at 64 px).
   */
  static final int CLASSIFIER_FACES = 4000;
  /** The classifiers' ridge penalty. */
  static final double RIDGE = 1.0;

  /**
   * One attribute's result.
   *
   * @param direction the learned unit direction (one row)
   * @param boundaryAccuracy how well the boundary separates the scored samples it was learned from
   * @param classifierAccuracy the judge's accuracy on {@code 2·perClass} rendered held-out faces, half of them with the attribute
   * @param reconstructionAccuracy its accuracy on the model's reconstructions of the same faces: how
   *     often the attribute survives encoding and decoding (0.5 is chance)
   * @param moved fraction of held-out faces whose classifier score is higher at +strength than at −strength
   * @param strength the edit's strength: {@code sigmas} standard deviations of the generator's w along the direction
   * @param strip rows of edits for the first few held-out faces, strengths from −to +
   */
  record Result(FaceAttribute attribute, Direction direction, double boundaryAccuracy, double classifierAccuracy,
      double reconstructionAccuracy, double moved, int heldOut, double strength, List<List<BufferedImage>> strip) {}

  private LearnedEdits() {
  }

  /**
   * Learns and checks the directions of {@code attributes}, one result each, in their order. The
   * rendered faces the classifiers are trained on, the generator's samples and the held-out codes are
   * made once for all of them, so each result is what a call for its attribute alone gives.
   *
   * @param perClass held-out rendered faces per class for the judge's and the reconstructions' accuracy
   * @param heldOut held-out faces edited both ways
   * @param sigmas the edit's strength in standard deviations of the generator's w along the direction
   * @param stripFaces how many of the edited faces get a strip
   * @param stripSteps strengths per strip, from −strength to +strength
   */
  static List<Result> learn(PspModel m, List<FaceAttribute> attributes, int perClass, int heldOut, double sigmas,
      int stripFaces, int stripSteps) {
    int size = m.config().outputSize();
    // 1. the directions, InterFaceGAN's way: the generator's own samples, scored by labellers trained
    //    on rendered faces (other faces than the judges'), the highest- against the lowest-scored
    List<ToDoubleFunction<BufferedImage>> labellers = new ArrayList<>();
    for (Labelled l : labelled(attributes, DIRECTION_SEED, CLASSIFIER_FACES, size)) {
      labellers.add(l.classifier()::score);
    }
    List<ScoredSamples.Examples> examples = ScoredSamples.drawAll(m.generator(), labellers, SAMPLES, FRACTION,
        SAMPLE_SEED, done -> { });
    // 2. the judges: classifiers of rendered images at the generator's size (trained on other faces)
    List<Labelled> judgeFaces = labelled(attributes, CLASSIFIER_SEED, CLASSIFIER_FACES, size);
    // 3. held-out faces, encoded once and edited both ways along each direction
    List<BufferedImage> faces = new ArrayList<>();
    for (int i = 0; i < heldOut; i++) {
      faces.add(SyntheticFaces.sample(DemoCommand.HELD_OUT_SEED, i, Encoder.INPUT_SIZE).image());
    }
    LatentCode codes = encode(m, faces);
    List<Result> results = new ArrayList<>();
    for (int a = 0; a < attributes.size(); a++) {
      BoundaryLearner.Boundary b = BoundaryLearner.interFaceGan()
          .learn(examples.get(a).positives(), examples.get(a).negatives());
      // strengths count standard deviations of the generator's w along the direction (InterFaceGAN's ±3 in a unit-variance W)
      double strength = sigmas * examples.get(a).spread(b.direction().values());
      results.add(check(m, judgeFaces.get(a), b, strength, codes, perClass, stripFaces, stripSteps));
    }
    return results;
  }

  /** One direction judged: on balanced rendered faces, their reconstructions, and the edited codes. */
  private static Result check(PspModel m, Labelled judgeFaces, BoundaryLearner.Boundary b, double strength,
      LatentCode codes, int perClass, int stripFaces, int stripSteps) {
    FaceAttribute attribute = judgeFaces.attribute();
    int size = m.config().outputSize();
    AttributeClassifier judge = judgeFaces.classifier();
    List<BufferedImage> test = new ArrayList<>();
    List<BufferedImage> testInputs = new ArrayList<>();
    List<Boolean> testLabels = new ArrayList<>();
    int[] testCount = new int[2];
    for (int i = judgeFaces.next(); testCount[0] < perClass || testCount[1] < perClass; i++) {
      FaceParams p = SyntheticFaces.params(CLASSIFIER_SEED, i);
      Boolean label = attribute.label(p).orElse(null);
      if (label != null && testCount[label ? 1 : 0] < perClass) { // as many with the attribute as without
        testCount[label ? 1 : 0]++;
        test.add(FaceRenderer.render(p, size).image());
        testInputs.add(FaceRenderer.render(p, Encoder.INPUT_SIZE).image());
        testLabels.add(label);
      }
    }
    double reconstructionAccuracy = judge.accuracy(decode(m, encode(m, testInputs)), testLabels);
    int heldOut = codes.batchSize();
    List<BufferedImage> plus = decode(m, codes.edit(b.direction(), strength));
    List<BufferedImage> minus = decode(m, codes.edit(b.direction(), -strength));
    int moved = 0;
    for (int i = 0; i < heldOut; i++) {
      if (judge.score(plus.get(i)) > judge.score(minus.get(i))) {
        moved++;
      }
    }
    List<List<BufferedImage>> strip = new ArrayList<>();
    for (int f = 0; f < Math.min(stripFaces, heldOut); f++) {
      List<LatentCode> row = new ArrayList<>();
      for (int k = 0; k < stripSteps; k++) {
        double s = -strength + 2 * strength * k / (stripSteps - 1);
        row.add(codes.sample(f).edit(b.direction(), s));
      }
      strip.add(decode(m, LatentCode.concat(row)));
    }
    return new Result(attribute, b.direction(), b.trainingAccuracy(), judge.accuracy(test, testLabels),
        reconstructionAccuracy, moved / (double) heldOut, heldOut, strength, strip);
  }

  /**
   * For each attribute, the first {@code count} faces of {@code seed} that have its label, rendered at
   * {@code size}; a face that several attributes take is rendered once, on every core.
   */
  static List<Labelled> labelled(List<FaceAttribute> attributes, long seed, int count, int size) {
    // which faces each attribute takes: their labels are read from the parameters, without rendering
    List<List<Integer>> indices = new ArrayList<>();
    List<List<Boolean>> labels = new ArrayList<>();
    for (int a = 0; a < attributes.size(); a++) {
      indices.add(new ArrayList<>());
      labels.add(new ArrayList<>());
    }
    Map<Integer, FaceParams> taken = new HashMap<>();
    for (int i = 0; labels.stream().anyMatch(l -> l.size() < count); i++) {
      FaceParams p = SyntheticFaces.params(seed, i);
      for (int a = 0; a < attributes.size(); a++) {
        Boolean label = attributes.get(a).label(p).orElse(null);
        if (label != null && labels.get(a).size() < count) {
          labels.get(a).add(label);
          indices.get(a).add(i);
          taken.put(i, p);
        }
      }
    }
    List<Integer> order = List.copyOf(taken.keySet());
    List<BufferedImage> images = order.parallelStream().map(i -> FaceRenderer.render(taken.get(i), size).image())
        .toList();
    Map<Integer, BufferedImage> rendered = new HashMap<>();
    for (int k = 0; k < order.size(); k++) {
      rendered.put(order.get(k), images.get(k));
    }
    List<Labelled> out = new ArrayList<>();
    for (int a = 0; a < attributes.size(); a++) {
      List<Integer> faces = indices.get(a);
      out.add(new Labelled(attributes.get(a), faces.stream().map(rendered::get).toList(), labels.get(a),
          faces.get(faces.size() - 1) + 1));
    }
    return out;
  }

  /**
   * An attribute's rendered faces with their labels, and {@code next}, the index after the last one
   * drawn: where held-out faces of the same seed begin.
   */
  record Labelled(FaceAttribute attribute, List<BufferedImage> images, List<Boolean> labels, int next) {
    AttributeClassifier classifier() {
      return AttributeClassifier.train(attribute, images, labels, RIDGE);
    }
  }

  private static LatentCode encode(PspModel m, List<BufferedImage> images) {
    List<LatentCode> out = new ArrayList<>();
    for (int i = 0; i < images.size(); i += 8) {
      out.add(m.encoder().encode(images.subList(i, Math.min(images.size(), i + 8))));
    }
    return LatentCode.concat(out);
  }

  private static List<BufferedImage> decode(PspModel m, LatentCode codes) {
    List<BufferedImage> out = new ArrayList<>();
    for (int i = 0; i < codes.batchSize(); i += 8) {
      List<LatentCode> part = new ArrayList<>();
      for (int k = i; k < Math.min(codes.batchSize(), i + 8); k++) {
        part.add(codes.sample(k));
      }
      out.addAll(m.generator().synthesizeImages(LatentCode.concat(part), Noise.fixed(), OutputSize.FULL));
    }
    return out;
  }
}
