package dev.psp.synthetic;

import static dev.psp.synthetic.FaceLabels.BACKGROUND;
import static dev.psp.synthetic.FaceLabels.CLOTH;
import static dev.psp.synthetic.FaceLabels.EARRING;
import static dev.psp.synthetic.FaceLabels.EYE_GLASSES;
import static dev.psp.synthetic.FaceLabels.HAIR;
import static dev.psp.synthetic.FaceLabels.HAT;
import static dev.psp.synthetic.FaceLabels.L_BROW;
import static dev.psp.synthetic.FaceLabels.L_EAR;
import static dev.psp.synthetic.FaceLabels.L_EYE;
import static dev.psp.synthetic.FaceLabels.L_LIP;
import static dev.psp.synthetic.FaceLabels.MOUTH;
import static dev.psp.synthetic.FaceLabels.NECK;
import static dev.psp.synthetic.FaceLabels.NECKLACE;
import static dev.psp.synthetic.FaceLabels.NOSE;
import static dev.psp.synthetic.FaceLabels.R_BROW;
import static dev.psp.synthetic.FaceLabels.R_EAR;
import static dev.psp.synthetic.FaceLabels.R_EYE;
import static dev.psp.synthetic.FaceLabels.SKIN;
import static dev.psp.synthetic.FaceLabels.U_LIP;

import dev.psp.synthetic.FaceParams.HairStyle;

/**
 * The shapes and colours of one face at one image size. {@link #classify} says which part covers
 * an image point, as a code {@code label | subPart << 8}; {@link #colour} gives that part's colour
 * there as a base colour times a shade in [{@link #MIN_SHADE}, {@link #MAX_SHADE}].
 *
 * <p>The head is a vertical ellipsoid seen from the front: a point at angle φ around the vertical
 * axis projects to {@code x = r(y) sin φ}, so turning the head by θ moves a face feature from
 * {@code asin(x/r)} to {@code asin(x/r) + θ}. Features are drawn in frontal coordinates and mapped
 * through that rotation; the nose, which stands out, is moved further. The roll (tilt) rotates the
 * head about the top of the neck; neck, clothes and background do not turn.
 *
 * <p>Trigonometry runs once per face ({@link StrictMath}); per point only +, −, ×, ÷, √ and casts,
 * which Java defines exactly, so a face renders to the same bits on every JVM. Immutable.
 */
final class FaceGeometry {
  static final int PLAIN = 0;
  static final int IRIS = 1;
  static final int PUPIL = 2;
  static final int NOSE_TIP = 3;
  static final int NOSTRIL = 4;
  static final int TEETH = 5;
  static final int LENS = 6;
  static final int FRAME = 7;
  static final int STRIPE = 8;
  static final int CUFF = 9;
  static final int STRAND = 10;
  static final int EAR_INNER = 11;

  /** Smallest and largest shade any part is drawn with. */
  static final double MIN_SHADE = 0.55;
  static final double MAX_SHADE = 1.15;

  private static final double HALF_PI = Math.PI / 2;
  /** Yaw 1 turns the head by this many radians (40°). */
  private static final double MAX_YAW_RAD = Math.toRadians(40);
  private static final double EAR_Y = 0.08;
  private static final double EAR_BACK = 0.12;
  private static final int SCLERA = 0xeeeae4;
  private static final int PUPIL_COLOUR = 0x140f0f;
  private static final int MOUTH_COLOUR = 0x5a1c22;
  private static final int TEETH_COLOUR = 0xf0ece0;

  private final FaceParams p;
  private final HairStyle style;
  private final double pixel;
  private final double cx;
  private final double cy;
  private final double w;
  private final double h;
  private final double invW;
  private final double invH;
  private final double drop;
  private final double cosT;
  private final double sinT;
  private final double sinTheta;
  private final double cosTheta;
  private final double strandPhase;
  /** Per ear (image left, right): sin of its angle ψ around the head, and whether it faces the viewer. */
  private final double[] earSin = new double[2];
  private final boolean[] earFront = new boolean[2];
  // eyes, brows, glasses (frontal image units)
  private final double eyeX;
  private final double eyeY;
  private final double eyeW;
  private final double eyeH;
  private final double invEyeW;
  private final double irisR;
  private final double browW;
  private final double browY;
  private final double invBrowW;
  private final double lensW;
  private final double lensH;
  private final double lensY;
  private final double frameT;
  // nose, mouth
  private final double noseTop;
  private final double noseTip;
  private final double noseW;
  private final double mouthY;
  private final double mouthW;
  private final double invMouthW;
  private final double lip;
  // ears (head units)
  private final double earH;
  private final double earL;
  private final double ringR;
  // hair, hat (head units)
  private final double volume;
  /** Long hair and bobs cover the ears (and earrings). */
  private final boolean hidesEars;
  /** No head part (hair, hat, ears, nose) reaches further than this from the head's axis (head units). */
  private final double reach;
  private final double hatBase;
  // body (image units)
  private final double neckW;
  private final double collar;
  private final int lensColour;

  FaceGeometry(FaceParams p, int size) {
    this.p = p;
    this.style = p.hair().style();
    this.pixel = 1.0 / size;
    FaceParams.Head head = p.head();
    cx = head.centerX();
    cy = head.centerY();
    w = head.width();
    h = head.height();
    invW = 1 / w;
    invH = 1 / h;
    drop = 0.85 * h;
    cosT = StrictMath.cos(p.tilt());
    sinT = StrictMath.sin(p.tilt());
    double theta = p.yaw() * MAX_YAW_RAD;
    sinTheta = StrictMath.sin(theta);
    cosTheta = StrictMath.cos(theta);
    strandPhase = Math.floorMod(p.seed(), 97) / 97.0;
    for (int s = -1; s <= 1; s += 2) {
      double psi = s * (HALF_PI + EAR_BACK) + theta;
      earSin[(s + 1) / 2] = StrictMath.sin(psi);
      earFront[(s + 1) / 2] = Math.abs(psi) < HALF_PI;
    }
    FaceParams.Eyes eyes = p.eyes();
    eyeX = eyes.spacing() * w;
    eyeY = eyes.height() * h;
    eyeW = eyes.width() * w;
    eyeH = Math.max(eyeW * eyes.openness(), 1.1 * pixel);
    invEyeW = 1 / eyeW;
    irisR = Math.max(Math.min(eyeH * 1.15, eyeW * 0.55), pixel);
    browW = eyeW * 1.3;
    browY = eyeY - p.brows().gap() * h;
    invBrowW = 1 / browW;
    lensW = eyeW * 1.6;
    lensH = Math.max(lensW * 0.78, eyeH * 2.4);
    lensY = eyeY + 0.1 * lensH;
    frameT = Math.max(0.025 * w, 1.2 * pixel);
    noseTop = eyeY + 0.3 * eyeH;
    noseTip = (eyes.height() + p.nose().length()) * h;
    noseW = p.nose().width() * w;
    mouthY = p.mouth().height() * h;
    mouthW = p.mouth().width() * w;
    invMouthW = 1 / mouthW;
    lip = Math.max(p.mouth().lips() * h, 1.1 * pixel);
    earH = 0.21 * head.earSize();
    earL = 0.27 * head.earSize();
    ringR = Math.max(0.04 * h, 1.3 * pixel);
    volume = p.hair().volume();
    hidesEars = style == HairStyle.LONG || style == HairStyle.BOB;
    reach = Math.max(1.35 + earL, 1.15 + volume + 0.1 * (1.55 + 2 * volume));
    hatBase = Math.min(p.hair().hairline() + 0.06, -0.38);
    neckW = p.body().neckWidth() * w;
    collar = cy + h + 0.06;
    FaceParams.Accessories acc = p.accessories();
    lensColour = acc.sunglasses() ? Palettes.mix(head.skin(), 0x1e2228, 0.88)
        : Palettes.mix(head.skin(), 0xc8dcf0, 0.15);
  }

  static int label(int code) {
    return code & 0xff;
  }

  static int subPart(int code) {
    return code >>> 8;
  }

  private static int code(int label, int sub) {
    return label | sub << 8;
  }

  /** The part at image point (u, v), both in [0, 1] from the top-left corner. */
  int classify(double u, double v) {
    double dx = u - cx;
    double dy = v - (cy + drop);
    double a = cosT * dx + sinT * dy;
    double b = -sinT * dx + cosT * dy + drop;
    double x = a * invW;
    double y = b * invH;
    if (Math.abs(x) > reach || y < -1.45) {
      return body(u, v);
    }
    if (p.accessories().hat()) {
      int hat = hat(x, y);
      if (hat >= 0) {
        return hat;
      }
    }
    double r = halfWidth(y);
    boolean inFace = Math.abs(x) < r;
    // sin and cos of the frontal angle φ0 = asin(x/r) - θ
    double sinPhi0 = 0;
    double cosPhi0 = 0;
    if (inFace) {
      double z = x / r;
      double cz = Math.sqrt(1 - z * z);
      sinPhi0 = z * cosTheta - cz * sinTheta;
      cosPhi0 = cz * cosTheta + z * sinTheta;
    }
    int hair = hair(x, y, a, inFace, sinPhi0, cosPhi0, r);
    if (hair >= 0) {
      return hair;
    }
    if (inFace) {
      double xi = r * sinPhi0 * w;
      int f = mouth(xi, b);
      if (f < 0) {
        f = brows(xi, b);
      }
      if (f < 0 && !p.accessories().sunglasses()) {
        f = eyes(xi, b);
      }
      if (f < 0 && p.accessories().glasses()) {
        f = glasses(xi, b);
      }
      if (f >= 0) {
        return f;
      }
    }
    int nose = nose(a, b, y);
    if (nose >= 0) {
      return nose;
    }
    int ear = hidesEars ? -1 : ears(x, y, a, b, inFace);
    if (ear >= 0) {
      return ear;
    }
    if (inFace) {
      return SKIN;
    }
    return body(u, v);
  }

  /** The half-width of the face silhouette at height y (head units), 0 outside. */
  private double halfWidth(double y) {
    if (y <= -1 || y >= 1) {
      return 0;
    }
    double round = Math.sqrt(1 - y * y);
    return y <= 0 ? round : round * (1 - p.head().jaw() * y * y);
  }

  private int hat(double x, double y) {
    double base = hatBase + 0.06 * x * x;
    if (y >= base) {
      return -1;
    }
    double ex = x / (1.05 + volume);
    double ey = (y + 0.1) / (1.12 + 0.8 * volume);
    if (ex * ex + ey * ey > 1) {
      return -1;
    }
    return code(HAT, y > base - 0.14 ? CUFF : PLAIN);
  }

  /**
   * Hair: on the face above a hairline that falls towards the temples (s0 = |sin φ0| is 0 at the
   * face's centre line, 1 at its side; cos φ0 < 0 is the back of the head), and around the skull
   * as a shell of thickness {@code volume} that, depending on the style, thins out above the ears or
   * falls to the jaw or past the shoulders.
   */
  private int hair(double x, double y, double a, boolean inFace, double sinPhi0, double cosPhi0, double r) {
    if (style == HairStyle.BALD) {
      return -1;
    }
    boolean hit;
    double earTop = EAR_Y - earH;
    if (inFace) {
      double hl = p.hair().hairline();
      if (cosPhi0 <= 0) {
        hit = switch (style) {
          case BOB -> y < 0.75;
          case LONG -> true;
          default -> y < earTop + 0.04 || (cosPhi0 < -0.48 && y < 0.4);
        };
      } else {
        double s0 = Math.abs(sinPhi0);
        double s2 = s0 * s0;
        double line = switch (style) {
          case SHORT -> hl + (earTop + 0.04 - hl) * s2 * s2;
          case FRINGE -> {
            double fringe = p.hair().fringe() + 0.03 * wave(r * sinPhi0 * 6.5);
            yield fringe + (earTop + 0.04 - fringe) * s2 * s2 * s0;
          }
          case BOB -> hl + (0.6 - hl) * s2 * s2 * s2;
          default -> hl + (0.9 - hl) * s2 * s2 * s2;
        };
        hit = y < line;
      }
    } else {
      double rho = Math.sqrt(x * x + y * y);
      double ax = Math.abs(x);
      hit = switch (style) {
        case SHORT, FRINGE -> y < earTop + 0.04
            && rho < 1 + volume * Math.sqrt(Math.min(1, (earTop + 0.04 - y) / 0.5));
        case BOB -> y < 0 ? rho < 1 + volume
            : y < 0.72 - 0.15 * (ax - 1) + 0.03 * wave(x * 7) && ax < (1 + volume) * (1 - 0.06 * y);
        default -> y < 0 ? rho < 1 + volume
            : y < 1.45 + 2 * volume + 0.03 * wave(x * 2.5) - 0.12 * (ax - 1) && ax < 1 + volume + 0.1 * y
                && !(y > 0.6 && Math.abs(a) < neckW * 1.05);
      };
    }
    if (!hit) {
      return -1;
    }
    return code(HAIR, strandWave(x, y) > 0.86 ? STRAND : PLAIN);
  }

  /** Hair texture in [-1, 1]: streaks radiating from above the crown, vertical below the ears. */
  private double strandWave(double x, double y) {
    double phase = y < 0.2 ? x / (y + 1.8) * 5.5 : x * 3.2;
    return wave(phase + 0.27 * wave(phase * 0.37 + strandPhase));
  }

  /**
   * A smooth periodic wave in [-1, 1] with period 1 (a cubic-smoothed triangle), made of plain
   * arithmetic so that it gives the same bits on every JVM.
   */
  static double wave(double t) {
    double f = t - (long) t;
    if (f < 0) {
      f += 1;
    }
    double tri = Math.abs(2 * f - 1);
    return 2 * tri * tri * (3 - 2 * tri) - 1;
  }

  private int mouth(double xi, double yi) {
    double t = xi * invMouthW;
    double dy = yi - mouthY;
    if (Math.abs(t) >= 1 || Math.abs(dy) > 6 * lip) {
      return -1;
    }
    double e = Math.sqrt(1 - t * t);
    FaceParams.Mouth m = p.mouth();
    double line = m.smile() * lip * (0.5 - 1.5 * t * t);
    double gap = m.open() * lip * 1.6 * e;
    double se = Math.sqrt(e);
    double upper = lip * se * (1 - 0.3 / (1 + sq(t / 0.16)));
    double lower = 1.35 * lip * se;
    double d = dy - line;
    if (d < -gap / 2 - upper || d > gap / 2 + lower) {
      return -1;
    }
    if (d < -gap / 2) {
      return U_LIP;
    }
    if (d < gap / 2) {
      return code(MOUTH, d < -gap / 2 + 0.45 * gap ? TEETH : PLAIN);
    }
    return L_LIP;
  }

  private int brows(double xi, double yi) {
    if (Math.abs(yi - browY) > browW) {
      return -1;
    }
    FaceParams.Brows br = p.brows();
    for (int s = -1; s <= 1; s += 2) {
      double t = (xi - s * eyeX) * invBrowW - s * 0.08;
      if (Math.abs(t) >= 1) {
        continue;
      }
      double inner = (1 - s * t) / 2;
      double thick = Math.max(br.thickness() * h * (0.45 + 0.55 * inner), 1.2 * pixel);
      double yc = browY - br.arch() * 0.3 * browW * (1 - t * t);
      if (Math.abs(yi - yc) < thick / 2) {
        return s < 0 ? L_BROW : R_BROW;
      }
    }
    return -1;
  }

  private int eyes(double xi, double yi) {
    double dy = yi - eyeY;
    if (Math.abs(dy) > eyeH) {
      return -1;
    }
    for (int s = -1; s <= 1; s += 2) {
      double ex = s * eyeX;
      double t = (xi - ex) * invEyeW;
      if (Math.abs(t) >= 1) {
        continue;
      }
      double e = 1 - t * t;
      double up = eyeH * Math.sqrt(e * Math.sqrt(e));
      double lo = 0.75 * eyeH * e;
      if (dy < -up || dy > lo) {
        continue;
      }
      double ix = xi - (ex + p.eyes().gaze() * eyeW * 0.35);
      double iy = yi - (eyeY - 0.15 * eyeH);
      double d2 = ix * ix + iy * iy;
      int sub = d2 < sq(0.45 * irisR) ? PUPIL : d2 < irisR * irisR ? IRIS : PLAIN;
      return code(s < 0 ? L_EYE : R_EYE, sub);
    }
    return -1;
  }

  private int glasses(double xi, double yi) {
    double dy = Math.abs(yi - lensY);
    if (dy > lensH + frameT) {
      return -1;
    }
    boolean round = p.accessories().roundLenses();
    for (int s = -1; s <= 1; s += 2) {
      double dx = Math.abs(xi - s * eyeX);
      double outer = superEllipse(dx / (lensW + frameT), dy / (lensH + frameT), round);
      if (outer <= 1) {
        return code(EYE_GLASSES, superEllipse(dx / lensW, dy / lensH, round) <= 1 ? LENS : FRAME);
      }
    }
    double bar = lensY - 0.45 * lensH;
    if (Math.abs(yi - bar) < frameT / 2) {
      double ax = Math.abs(xi);
      if (ax < eyeX - lensW || ax > eyeX + lensW) {
        return code(EYE_GLASSES, FRAME);
      }
    }
    return -1;
  }

  private static double superEllipse(double x, double y, boolean round) {
    double x2 = x * x;
    double y2 = y * y;
    return round ? x2 + y2 : x2 * x2 + y2 * y2;
  }

  /** The nose centre line in head-local image units at nose parameter t: it stands out, so it moves more. */
  private double noseCentre(double y, double t) {
    return halfWidth(y) * w * sinTheta * (1.05 + 0.3 * t);
  }

  private int nose(double a, double b, double y) {
    if (b < noseTop || b > noseTip + 0.7 * noseW) {
      return -1;
    }
    double t = Math.min(1, (b - noseTop) / (noseTip - noseTop));
    double dx = a - noseCentre(y, t);
    double half = noseW * (0.25 + 0.75 * t * t);
    boolean ridge = b <= noseTip && Math.abs(dx) < half;
    boolean ball = sq(dx / noseW) + sq((b - (noseTip - 0.1 * noseW)) / (0.6 * noseW)) <= 1;
    if (!ridge && !ball) {
      return -1;
    }
    double rx = Math.max(0.26 * noseW, 0.7 * pixel);
    double ry = Math.max(0.15 * noseW, 0.6 * pixel);
    double ny = b - (noseTip + 0.15 * noseW);
    for (int s = -1; s <= 1; s += 2) {
      if (sq((dx - s * 0.52 * noseW) / rx) + sq(ny / ry) <= 1) {
        return code(NOSE, NOSTRIL);
      }
    }
    return code(NOSE, t > 0.6 ? NOSE_TIP : PLAIN);
  }

  /**
   * Ears and earrings. An ear is a flat oval standing out from the head surface at angle
   * ±(π/2 + a little) around the vertical axis; seen from behind that meridian it is hidden by the
   * face, seen from in front (a turned head) it is drawn over the face.
   */
  private int ears(double x, double y, double a, double b, boolean inFace) {
    double ax = Math.abs(x);
    if (y < EAR_Y - earH - 0.05 || y > EAR_Y + earH + 0.3 || ax < 0.5 || ax > 1.1 + earL) {
      return -1;
    }
    double r = Math.max(halfWidth(y), 0.5);
    for (int s = -1; s <= 1; s += 2) {
      boolean front = earFront[(s + 1) / 2];
      if (inFace && !front) {
        continue;
      }
      double sp = earSin[(s + 1) / 2];
      if (p.accessories().earrings()) {
        double ry = EAR_Y + 0.92 * earH + ringR / h;
        double rx = (1 + 0.3 * earL) * Math.max(halfWidth(ry), 0.5) * sp * w;
        if (sq(a - rx) + sq(b - ry * h) <= ringR * ringR) {
          return EARRING;
        }
      }
      double rho = x / (r * sp);
      double er = (rho - (1 + earL / 2)) / (earL / 2 + 0.06);
      double ey = (y - EAR_Y) / earH;
      if (er * er + ey * ey <= 1) {
        boolean inner = sq((rho - (1 + 0.45 * earL)) / (0.3 * earL)) + sq((y - EAR_Y - 0.02) / (0.55 * earH)) <= 1;
        return code(s < 0 ? L_EAR : R_EAR, inner ? EAR_INNER : PLAIN);
      }
    }
    return -1;
  }

  private int body(double u, double v) {
    double dx = Math.abs(u - cx);
    double depth = p.body().neckline();
    boolean neckline = depth > 0 && v >= collar && sq(dx / (1.6 * neckW)) + sq((v - collar) / depth) < 1;
    if (neckline || (v > cy + 0.3 * h && v < collar && dx < neckW)) {
      if (p.accessories().necklace()) {
        double chain = collar - 0.015 + 0.8 * Math.min(depth, 0.06) * (1 - sq(dx / (1.6 * neckW)));
        double half = Math.max(0.004, 0.65 * pixel);
        double pendant = Math.max(0.012, 1.3 * pixel);
        if (Math.abs(v - chain) < half || sq(dx) + sq(v - chain - pendant) < pendant * pendant) {
          return NECKLACE;
        }
      }
      return NECK;
    }
    double shoulder = dx <= neckW ? collar : collar + 0.11 * Math.sqrt(Math.min(1, (dx - neckW) / 0.28));
    if (v >= shoulder) {
      boolean stripe = p.body().stripe() != p.body().cloth() && wave((v - collar) * 22) < 0;
      return code(CLOTH, stripe ? STRIPE : PLAIN);
    }
    return BACKGROUND;
  }

  /** The colour of the part {@code code} at image point (u, v), without pixel noise. */
  int colour(int code, double u, double v) {
    int sub = subPart(code);
    int label = label(code);
    double dx = u - cx;
    double dy = v - (cy + drop);
    double a = cosT * dx + sinT * dy;
    double b = -sinT * dx + cosT * dy + drop;
    double x = a * invW;
    double y = b * invH;
    int skin = p.head().skin();
    return switch (label) {
      case BACKGROUND -> shaded(p.body().background(), 1.06 - 0.22 * v);
      case SKIN -> shaded(skin, skinShade(x, y));
      case NOSE -> sub == NOSTRIL ? shaded(skin, 0.55) : shaded(skin, skinShade(x, y)
          - 0.1 * clamp((a - noseCentre(y, Math.min(1, (b - noseTop) / (noseTip - noseTop)))) / noseW, -1, 1));
      case L_EAR, R_EAR -> shaded(skin, sub == EAR_INNER ? 0.72 : 0.9);
      case NECK -> shaded(skin, 0.7 + 0.22 * clamp((v - cy - h) / 0.07, 0, 1));
      case L_EYE, R_EYE -> switch (sub) {
        case PUPIL -> PUPIL_COLOUR;
        case IRIS -> shaded(p.eyes().iris(), 0.85 + 0.2 * clamp((y - p.eyes().height()) * h / eyeH, -1, 1));
        default -> shaded(SCLERA, 0.9);
      };
      case L_BROW, R_BROW -> p.brows().colour();
      case U_LIP -> shaded(p.mouth().colour(), 0.85);
      case L_LIP -> p.mouth().colour();
      case MOUTH -> sub == TEETH ? shaded(TEETH_COLOUR, 0.92) : MOUTH_COLOUR;
      case HAIR -> shaded(p.hair().colour(), sub == STRAND ? 0.68 : 0.86 + 0.12 * strandWave(x, y));
      case HAT -> shaded(p.accessories().hatColour(), sub == CUFF ? 0.8 : 0.82 + 0.2 * clamp(-y - 0.4, 0, 1));
      case EYE_GLASSES -> sub == FRAME ? p.accessories().frameColour()
          : shaded(lensColour, p.accessories().sunglasses() ? 1 : skinShade(x, y));
      case CLOTH -> shaded(sub == STRIPE ? p.body().stripe() : p.body().cloth(),
          0.88 + 0.08 * wave(u * 5.9 + v * 1.75));
      case EARRING, NECKLACE -> shaded(p.accessories().metal(), 0.95);
      default -> throw new IllegalStateException("no colour for label " + label);
    };
  }

  /** Lambert shading of the head ellipsoid, light from the upper left. */
  private static double skinShade(double x, double y) {
    // the normal (0.9x, 0.7y, nz) is unit length wherever the face is
    double q = 1 - 0.81 * x * x - 0.49 * y * y;
    double nz = q > 0 ? Math.sqrt(q) : 0;
    double lambert = -0.45 * 0.9 * x - 0.4 * 0.7 * y + 0.8 * nz;
    return 0.68 + 0.38 * clamp(lambert, 0, 1);
  }

  /**
   * The base colours a label may be drawn with (each times a shade in [{@link #MIN_SHADE}, {@link
   * #MAX_SHADE}]); the colours {@link #colour} returns are exactly such products, rounded.
   */
  int[] baseColours(int label) {
    int skin = p.head().skin();
    FaceParams.Accessories acc = p.accessories();
    return switch (label) {
      case BACKGROUND -> new int[] {p.body().background()};
      case SKIN, L_EAR, R_EAR, NECK -> new int[] {skin};
      case NOSE -> new int[] {skin};
      case L_EYE, R_EYE -> new int[] {SCLERA, p.eyes().iris(), PUPIL_COLOUR};
      case L_BROW, R_BROW -> new int[] {p.brows().colour()};
      case U_LIP, L_LIP -> new int[] {p.mouth().colour()};
      case MOUTH -> new int[] {MOUTH_COLOUR, TEETH_COLOUR};
      case HAIR -> new int[] {p.hair().colour()};
      case HAT -> new int[] {acc.hatColour()};
      case EYE_GLASSES -> new int[] {acc.frameColour(), lensColour};
      case CLOTH -> new int[] {p.body().cloth(), p.body().stripe()};
      case EARRING, NECKLACE -> new int[] {acc.metal()};
      default -> throw new IllegalArgumentException("label must be in [0, 18], got " + label);
    };
  }

  private static int shaded(int rgb, double shade) {
    return Palettes.scale(rgb, clamp(shade, MIN_SHADE, MAX_SHADE));
  }

  private static double clamp(double x, double lo, double hi) {
    return Math.max(lo, Math.min(hi, x));
  }

  private static double sq(double x) {
    return x * x;
  }
}
