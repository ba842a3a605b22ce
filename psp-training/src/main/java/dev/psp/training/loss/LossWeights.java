package dev.psp.training.loss;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss multipliers of pSp's training options (options/train_options.py), by their official
 * names. A term takes part when its lambda is greater than 0. As in the official Coach, the ID and
 * MoCo losses cannot both be on. Immutable and thread-safe.
 *
 * @param l2Lambda {@code l2_lambda} (official default 1.0)
 * @param lpipsLambda {@code lpips_lambda} (0.8)
 * @param idLambda {@code id_lambda} (0)
 * @param wNormLambda {@code w_norm_lambda} (0)
 * @param lpipsLambdaCrop {@code lpips_lambda_crop} (0)
 * @param l2LambdaCrop {@code l2_lambda_crop} (0)
 * @param mocoLambda {@code moco_lambda} (0)
 */
public record LossWeights(double l2Lambda, double lpipsLambda, double idLambda, double wNormLambda,
    double lpipsLambdaCrop, double l2LambdaCrop, double mocoLambda) {

  /** The official defaults: l2 1.0, lpips 0.8, everything else 0. */
  public static final LossWeights DEFAULTS = new LossWeights(1.0, 0.8, 0, 0, 0, 0, 0);

  /** Validates the values. */
  public LossWeights {
    check("l2_lambda", l2Lambda);
    check("lpips_lambda", lpipsLambda);
    check("id_lambda", idLambda);
    check("w_norm_lambda", wNormLambda);
    check("lpips_lambda_crop", lpipsLambdaCrop);
    check("l2_lambda_crop", l2LambdaCrop);
    check("moco_lambda", mocoLambda);
    if (idLambda > 0 && mocoLambda > 0) {
      throw new IllegalArgumentException("Both ID and MoCo loss have lambdas > 0! Please select only one"
          + " to have non-zero lambda! (id_lambda=" + idLambda + ", moco_lambda=" + mocoLambda + ")");
    }
  }

  private static void check(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
    }
  }

  /**
   * The lambdas of a checkpoint's or command line's {@code opts}; missing keys take the official
   * defaults.
   *
   * @throws IllegalArgumentException naming a key whose value is not a number
   */
  public static LossWeights fromOpts(Map<String, ?> opts) {
    return new LossWeights(get(opts, "l2_lambda", DEFAULTS.l2Lambda), get(opts, "lpips_lambda",
        DEFAULTS.lpipsLambda), get(opts, "id_lambda", 0), get(opts, "w_norm_lambda", 0),
        get(opts, "lpips_lambda_crop", 0), get(opts, "l2_lambda_crop", 0), get(opts, "moco_lambda", 0));
  }

  private static double get(Map<String, ?> opts, String key, double dflt) {
    Object v = opts.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(key + " must be a number, got " + v);
  }

  /** The values under their official option names. */
  public Map<String, Object> toOpts() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lpips_lambda", lpipsLambda);
    m.put("id_lambda", idLambda);
    m.put("l2_lambda", l2Lambda);
    m.put("w_norm_lambda", wNormLambda);
    m.put("lpips_lambda_crop", lpipsLambdaCrop);
    m.put("l2_lambda_crop", l2LambdaCrop);
    m.put("moco_lambda", mocoLambda);
    return m;
  }

  /** True when LPIPS is needed (whole image or crop). */
  public boolean needsLpips() {
    return lpipsLambda > 0 || lpipsLambdaCrop > 0;
  }
}
