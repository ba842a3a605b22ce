package dev.psp.synthetic;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Everything that decides one synthetic face: identity (shape, colours, hair, features, accessories,
 * clothes, background) and pose. {@link #random(long)} samples it from a seed; {@link
 * #withPose(double, double)} turns the same person.
 *
 * <p>Units: image lengths are fractions of the image side; "head units" are x in head half-widths
 * and y in head half-heights, from the head centre, y pointing down. Colours are {@code 0xRRGGBB}.
 * Immutable and thread-safe.
 *
 * @param seed the seed the face was sampled from; it also seeds the pixel noise
 * @param head face oval, skin and ears
 * @param hair hair style and colour
 * @param eyes eye placement, shape and iris colour
 * @param brows eyebrows
 * @param nose nose
 * @param mouth mouth and lips
 * @param accessories glasses, hat, earrings, necklace
 * @param body neck, clothes and background
 * @param yaw head turn in [-1, 1]: 0 frontal, ±1 about ±40° (positive turns the face to the image's
 *     right)
 * @param tilt head roll in radians, positive clockwise in the image, within ±0.5
 */
public record FaceParams(long seed, Head head, Hair hair, Eyes eyes, Brows brows, Nose nose,
    Mouth mouth, Accessories accessories, Body body, double yaw, double tilt) {

  /** Largest {@code |tilt|} accepted, in radians. */
  public static final double MAX_TILT = 0.5;

  /** Validates the pose and that no part is missing. */
  public FaceParams {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(hair, "hair");
    Objects.requireNonNull(eyes, "eyes");
    Objects.requireNonNull(brows, "brows");
    Objects.requireNonNull(nose, "nose");
    Objects.requireNonNull(mouth, "mouth");
    Objects.requireNonNull(accessories, "accessories");
    Objects.requireNonNull(body, "body");
    if (!(yaw >= -1 && yaw <= 1)) {
      throw new IllegalArgumentException("yaw must be in [-1, 1], got " + yaw);
    }
    if (!(Math.abs(tilt) <= MAX_TILT)) {
      throw new IllegalArgumentException("tilt must be in [-" + MAX_TILT + ", " + MAX_TILT + "] rad, got " + tilt);
    }
  }

  /** The same face with another pose. */
  public FaceParams withPose(double yaw, double tilt) {
    return new FaceParams(seed, head, hair, eyes, brows, nose, mouth, accessories, body, yaw, tilt);
  }

  /** The same face looking straight at the camera (yaw 0, tilt 0). */
  public FaceParams frontal() {
    return withPose(0, 0);
  }

  /**
   * Samples a face from a seed with {@link SplittableRandom}; equal seeds give equal faces on every
   * JVM. Yaw is triangular on [-1, 1] (mostly near-frontal) and tilt triangular on ±0.25 rad.
   */
  public static FaceParams random(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int skin = Palettes.skin(r);
    double headW = uniform(r, 0.215, 0.25);
    Head head = new Head(0.5 + uniform(r, -0.015, 0.015), 0.47 + uniform(r, -0.015, 0.015), headW,
        headW * uniform(r, 1.22, 1.38), uniform(r, 0.0, 0.3), uniform(r, 0.85, 1.2), skin);
    HairStyle style = HairStyle.values()[pick(r, 0.08, 0.32, 0.2, 0.15, 0.25)];
    int hairColour = Palettes.hair(r);
    Hair hair = new Hair(style, hairColour, uniform(r, 0.06, 0.2), uniform(r, -0.62, -0.46),
        uniform(r, -0.4, -0.25));
    Eyes eyes = new Eyes(uniform(r, 0.37, 0.45), uniform(r, -0.14, -0.04), uniform(r, 0.17, 0.215),
        uniform(r, 0.36, 0.52), uniform(r, -0.3, 0.3), Palettes.iris(r));
    Brows brows = new Brows(uniform(r, 0.15, 0.22), uniform(r, 0.0, 0.6), uniform(r, 0.035, 0.065),
        Palettes.scale(hairColour, style == HairStyle.BALD ? 0.6 : uniform(r, 0.55, 0.85)));
    Nose nose = new Nose(uniform(r, 0.28, 0.4), uniform(r, 0.11, 0.16));
    double mouthY = eyes.height() + nose.length() + uniform(r, 0.2, 0.28);
    Mouth mouth = new Mouth(mouthY, uniform(r, 0.24, 0.33), uniform(r, 0.04, 0.06),
        uniform(r, -0.3, 1.0), r.nextDouble() < 0.3 ? uniform(r, 0.3, 1.0) : 0, Palettes.lips(r, skin));
    boolean glasses = r.nextDouble() < 0.25;
    int metal = r.nextBoolean() ? 0xe0b840 : 0xd0d0dc;
    Accessories acc = new Accessories(glasses, glasses && r.nextDouble() < 0.25, r.nextBoolean(),
        Palettes.frame(r), r.nextDouble() < 0.12, Palettes.vivid(r), r.nextDouble() < 0.2,
        r.nextDouble() < 0.15, metal);
    boolean stripes = r.nextDouble() < 0.3;
    int cloth = Palettes.vivid(r);
    Body body = new Body(uniform(r, 0.42, 0.54), r.nextDouble() < 0.5 ? uniform(r, 0.02, 0.1) : 0,
        cloth, stripes ? Palettes.vivid(r) : cloth, Palettes.background(r));
    double yaw = r.nextDouble() + r.nextDouble() - 1;
    double tilt = 0.25 * (r.nextDouble() + r.nextDouble() - 1);
    return new FaceParams(seed, head, hair, eyes, brows, nose, mouth, acc, body, yaw, tilt);
  }

  private static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  private static int pick(SplittableRandom r, double... weights) {
    double x = r.nextDouble();
    for (int i = 0; i < weights.length - 1; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** Hair styles. */
  public enum HairStyle {
    /** No hair. */
    BALD,
    /** Short hair with the forehead free. */
    SHORT,
    /** Short hair with bangs over the forehead. */
    FRINGE,
    /** Chin-length hair framing the face. */
    BOB,
    /** Hair falling past the shoulders. */
    LONG
  }

  /**
   * The face oval and skin.
   *
   * @param centerX head centre x (image units)
   * @param centerY head centre y (image units)
   * @param width head half-width (image units)
   * @param height head half-height (image units), chin to crown
   * @param jaw narrowing of the lower face, 0 (oval) to 0.3 (pointed)
   * @param earSize ear scale, about 1
   * @param skin skin colour
   */
  public record Head(double centerX, double centerY, double width, double height, double jaw,
      double earSize, int skin) {}

  /**
   * Hair.
   *
   * @param style the style
   * @param colour hair colour
   * @param volume how far the hair stands off the skull, in head units
   * @param hairline y of the hairline at the forehead's centre (head units)
   * @param fringe y of the bangs' lower edge for {@link HairStyle#FRINGE} (head units)
   */
  public record Hair(HairStyle style, int colour, double volume, double hairline, double fringe) {}

  /**
   * Eyes (both alike, mirrored).
   *
   * @param spacing x of each eye's centre (head units)
   * @param height y of the eyes' centres (head units)
   * @param width eye half-width (head units)
   * @param openness eye half-height over half-width
   * @param gaze horizontal iris offset, -1..1 of the free range
   * @param iris iris colour
   */
  public record Eyes(double spacing, double height, double width, double openness, double gaze,
      int iris) {}

  /**
   * Eyebrows.
   *
   * @param gap how far above the eye centre (head units)
   * @param arch arch height, 0 (straight) to about 0.6
   * @param thickness thickness at the inner end (head units)
   * @param colour brow colour
   */
  public record Brows(double gap, double arch, double thickness, int colour) {}

  /**
   * Nose, from the eye line down.
   *
   * @param length eye line to nose tip (head units)
   * @param width half-width at the nostrils (head units)
   */
  public record Nose(double length, double width) {}

  /**
   * Mouth.
   *
   * @param height y of the line between the lips (head units)
   * @param width half-width (head units)
   * @param lips upper-lip thickness (head units); the lower lip is a third thicker
   * @param smile corner lift, -0.3 (down) to 1 (up)
   * @param open opening between the lips, 0 (closed) to 1, in upper-lip thicknesses
   * @param colour lip colour
   */
  public record Mouth(double height, double width, double lips, double smile, double open,
      int colour) {}

  /**
   * Accessories.
   *
   * @param glasses whether glasses are worn
   * @param sunglasses whether the lenses are dark (the eyes are hidden)
   * @param roundLenses round lenses rather than rectangular ones
   * @param frameColour glasses frame colour
   * @param hat whether a hat (a beanie with a cuff) is worn
   * @param hatColour hat colour
   * @param earrings whether earrings hang from the ear lobes
   * @param necklace whether a necklace is worn
   * @param metal earring and necklace colour
   */
  public record Accessories(boolean glasses, boolean sunglasses, boolean roundLenses,
      int frameColour, boolean hat, int hatColour, boolean earrings, boolean necklace, int metal) {}

  /**
   * Neck, clothes and background.
   *
   * @param neckWidth neck half-width (head units)
   * @param neckline depth of the round neckline below the collar (image units), 0 for none
   * @param cloth clothes colour
   * @param stripe colour of the clothes' horizontal stripes (equal to {@code cloth} for plain)
   * @param background background colour
   */
  public record Body(double neckWidth, double neckline, int cloth, int stripe, int background) {}
}
