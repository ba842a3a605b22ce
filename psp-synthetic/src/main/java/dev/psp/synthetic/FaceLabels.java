package dev.psp.synthetic;

import java.util.List;

/**
 * The 19 face-parsing classes of CelebAMask-HQ, with the ids the official pSp segmentation task
 * reads from its label PNGs. "Left" and "right" ({@code l_eye}, {@code r_eye}, ...) here mean the
 * image's left and right, as the viewer sees them.
 */
public final class FaceLabels {
  /** Background. */
  public static final int BACKGROUND = 0;
  /** Facial skin (forehead, cheeks, chin). */
  public static final int SKIN = 1;
  /** The whole nose, bridge to nostrils. */
  public static final int NOSE = 2;
  /** Eyeglasses: frame and lenses ({@code eye_g}). */
  public static final int EYE_GLASSES = 3;
  /** The eye on the image's left ({@code l_eye}). */
  public static final int L_EYE = 4;
  /** The eye on the image's right ({@code r_eye}). */
  public static final int R_EYE = 5;
  /** The brow on the image's left ({@code l_brow}). */
  public static final int L_BROW = 6;
  /** The brow on the image's right ({@code r_brow}). */
  public static final int R_BROW = 7;
  /** The ear on the image's left ({@code l_ear}). */
  public static final int L_EAR = 8;
  /** The ear on the image's right ({@code r_ear}). */
  public static final int R_EAR = 9;
  /** The inside of the mouth between the lips (teeth included). */
  public static final int MOUTH = 10;
  /** Upper lip. */
  public static final int U_LIP = 11;
  /** Lower lip. */
  public static final int L_LIP = 12;
  /** Hair. */
  public static final int HAIR = 13;
  /** Hat. */
  public static final int HAT = 14;
  /** Earring ({@code ear_r}). */
  public static final int EARRING = 15;
  /** Necklace ({@code neck_l}). */
  public static final int NECKLACE = 16;
  /** Neck, and the chest skin a neckline shows. */
  public static final int NECK = 17;
  /** Clothes. */
  public static final int CLOTH = 18;
  /** Number of classes. */
  public static final int COUNT = 19;

  private static final List<String> NAMES = List.of("background", "skin", "nose", "eye_g", "l_eye",
      "r_eye", "l_brow", "r_brow", "l_ear", "r_ear", "mouth", "u_lip", "l_lip", "hair", "hat", "ear_r",
      "neck_l", "neck", "cloth");

  /** The visualisation colours of the official {@code utils/common.get_colors()}, by class id. */
  private static final int[] COLOURS = {0x000000, 0xcc0000, 0x4c9900, 0xcccc00, 0x3333ff, 0xcc00cc,
      0x00ffff, 0xffcccc, 0x663300, 0xff0000, 0x66cc00, 0xffff00, 0x000099, 0x0000cc, 0xff3399,
      0x00cccc, 0x003300, 0xff9933, 0x00cc00};

  private FaceLabels() {}

  /** The CelebAMask-HQ name of a class, e.g. {@code "l_eye"} for 4. */
  public static String name(int label) {
    check(label);
    return NAMES.get(label);
  }

  /** The 0xRRGGBB colour pSp's logging draws a class with. */
  public static int colour(int label) {
    check(label);
    return COLOURS[label];
  }

  private static void check(int label) {
    if (label < 0 || label >= COUNT) {
      throw new IllegalArgumentException("label must be in [0, " + (COUNT - 1) + "], got " + label);
    }
  }
}
