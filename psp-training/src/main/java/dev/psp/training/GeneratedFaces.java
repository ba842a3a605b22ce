package dev.psp.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.psp.PspException;
import dev.psp.TranslationTask;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.internal.Gaussian;
import dev.psp.nn.AdaptiveAvgPool2d;
import dev.psp.nn.PspNetwork;
import dev.psp.training.loss.NearestResize;
import dev.psp.training.parser.FaceParser;
import dev.psp.training.parser.FaceParserCheckpoint;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Training pairs drawn from the frozen decoder itself ({@code sdk_generated} of each batch): for z ~
 * N(0, I) the code is w = mapping(z) on every row, the target is G(w) with the stored noise, pooled
 * to 256, and the source is what the task reads of that face: the image (inversion), or the labels
 * that a face parser ({@code sdk_generated_parser}, written by {@code psp train-parser}) gives it,
 * one-hot (segmentation).
 *
 * <p>The code of these targets is known, so the encoder is graded in W+ too ({@code
 * sdk_generated_w_lambda}, the mean squared difference from w over all rows). On rendered faces L2
 * alone pulls what is costly to get wrong back to the average code: glasses, which this generator
 * draws from a code far from the average face in rows 0-6. On drawn faces the exact code is the
 * answer.
 */
final class GeneratedFaces implements AutoCloseable {
  /** Sources {@code [n,c,256,256]}, targets {@code [n,3,256,256]} and codes {@code [n,n_styles,dim]}, without gradients. */
  record Batch(NDArray x, NDArray y, NDArray w) {}

  private final PspNetwork net;
  private final int count;
  private final double wLambda;
  private final FaceParser parser;
  private final NDManager parserWeights;
  private final Map<String, NDArray> parserParams;

  private GeneratedFaces(PspNetwork net, int count, double wLambda, FaceParserCheckpoint parser) {
    this.net = net;
    this.count = count;
    this.wLambda = wLambda;
    this.parser = parser == null ? null : parser.parser();
    this.parserWeights = parser == null ? null : PyTorchEngine.djl().newBaseManager();
    this.parserParams = parser == null ? null : DjlTensorOps.toNDArrays(parserWeights, parser.stateDict());
  }

  /** The drawn faces of {@code opts}, or null when {@code sdk_generated} is unset or 0. */
  static GeneratedFaces of(TrainOptions opts, PspNetwork net) throws PspException, java.io.IOException {
    int count = opts.get("sdk_generated") == null ? 0 : opts.intOpt("sdk_generated");
    double wLambda = opts.get("sdk_generated_w_lambda") == null ? 0 : opts.doubleOpt("sdk_generated_w_lambda");
    if (count == 0) {
      if (wLambda != 0 || opts.get("sdk_generated_parser") != null) {
        throw new IllegalArgumentException("sdk_generated_w_lambda and sdk_generated_parser grade and make faces"
            + " drawn by the decoder: set sdk_generated=<faces per batch> too");
      }
      return null;
    }
    int batch = opts.intOpt("batch_size");
    if (count < 0 || count >= batch) {
      throw new IllegalArgumentException("sdk_generated is the number of each batch's pairs drawn from the decoder,"
          + " in 1.." + (batch - 1) + " for batch_size " + batch + " (the rest come from the training data); got "
          + count);
    }
    if (!(wLambda >= 0)) {
      throw new IllegalArgumentException("sdk_generated_w_lambda must be >= 0, got " + wLambda);
    }
    if (opts.bool("train_decoder")) {
      throw new IllegalArgumentException("sdk_generated draws targets from the decoder: it needs train_decoder=false");
    }
    if (opts.restyle()) {
      throw new IllegalArgumentException("sdk_generated is for one-pass pSp encoders, not ReStyle");
    }
    TranslationTask task = opts.task();
    String parserFile = opts.string("sdk_generated_parser");
    if (task == TranslationTask.SEGMENTATION_TO_FACE) {
      if (parserFile == null) {
        throw new IllegalArgumentException("sdk_generated for segmentation labels the drawn faces with a face parser:"
            + " give one written by psp train-parser with sdk_generated_parser=<file>");
      }
      Path file = ModelInit.existing(Path.of(parserFile), "sdk_generated_parser");
      FaceParserCheckpoint p;
      try {
        p = FaceParserCheckpoint.read(file);
      } catch (IllegalArgumentException | dev.psp.CheckpointFormatException e) {
        throw new IllegalArgumentException("sdk_generated_parser " + parserFile + " is not a face parser written by"
            + " psp train-parser: " + e.getMessage(), e);
      }
      if (opts.intOpt("label_nc") != FaceParser.CLASSES) {
        throw new IllegalArgumentException("the face parser gives " + FaceParser.CLASSES + " classes but label_nc is "
            + opts.intOpt("label_nc"));
      }
      Criteria.requireDividesImages(p.parser(), file);
      return new GeneratedFaces(net, count, wLambda, p);
    }
    if (task != TranslationTask.INVERSION) {
      throw new IllegalArgumentException("sdk_generated makes inversion and segmentation pairs; " + task
          + " sources cannot be made from a drawn face here");
    }
    if (parserFile != null) {
      throw new IllegalArgumentException("sdk_generated_parser labels drawn faces for segmentation; this task is " + task);
    }
    return new GeneratedFaces(net, count, wLambda, null);
  }

  /** Pairs of each batch drawn from the decoder. */
  int count() {
    return count;
  }

  /** The weight of the W+ loss on their codes. */
  double wLambda() {
    return wLambda;
  }

  /**
   * Draws {@link #count()} faces with the decoder weights that {@code ops} reads, on {@code call}.
   * Nothing is recorded for gradients.
   */
  Batch draw(DjlTensorOps ops, NDManager call, Random random) {
    return DjlTensorOps.withoutGrad(() -> {
      int dim = net.styleDim();
      NDArray z = call.create(Gaussian.sample(random, count * dim), new Shape(count, dim));
      NDArray w = net.mapping(ops, z).expandDims(1).repeat(1, net.nStyles()); // [n, n_styles, dim]
      NDArray y = net.facePool(ops, net.decode(ops, w, net.storedNoises(ops))).stopGradient();
      NDArray x = parser == null ? y : labels(call, y);
      return new Batch(x, y, w.stopGradient());
    });
  }

  /** The parser's labels of 256-px images in [-1, 1], one-hot at 256 px: {@code [n,19,256,256]}. */
  private NDArray labels(NDManager call, NDArray y) {
    int s = dev.psp.Encoder.INPUT_SIZE;
    int p = parser.size();
    DjlTensorOps ops = new DjlTensorOps(call, parserParams::get);
    NDArray small = p == s ? y : new AdaptiveAvgPool2d(p, p).forward(ops, y);
    NDArray classes = parser.logits(ops, small).argMax(1); // [n, p, p]
    NDArray oneHot = classes.oneHot(FaceParser.CLASSES).toType(DataType.FLOAT32, false).transpose(0, 3, 1, 2);
    return p == s ? oneHot : NearestResize.resize(ops, oneHot, s, s);
  }

  /** {@code mean((codes - w)^2)}, a 0-d array. */
  static NDArray wDistance(NDArray codes, NDArray w) {
    NDArray d = codes.sub(w);
    return d.mul(d).mean();
  }

  @Override
  public void close() {
    if (parserWeights != null) {
      parserWeights.close();
    }
  }
}
