package dev.psp.serve;

import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.PspModel;
import dev.psp.StyleMixer;
import dev.psp.image.ImageConversion;
import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The model work of each endpoint, as it runs on the inference thread: the same library calls, in the
 * same order, as the {@code psp} commands make, so a response equals what {@code PspModel} and the CLI
 * give for the same input. Results leave as plain arrays ({@link Rgb}); turning them into images and
 * PNG bytes happens off the inference thread.
 */
final class ModelWork {
  private ModelWork() {}

  /**
   * One generated image as the generator's floats {@code [3, h, w]}, unclamped; {@link #toImage()} applies
   * the official {@code tensor2im}.
   */
  record Rgb(float[] chw, int height, int width) {
    /** The image, exactly as {@link ImageConversion#toImage} makes it. */
    BufferedImage toImage() {
      int plane = height * width;
      int[] rgb = new int[plane];
      for (int i = 0; i < plane; i++) {
        rgb[i] = (ImageConversion.toByte(chw[i]) << 16) | (ImageConversion.toByte(chw[plane + i]) << 8)
            | ImageConversion.toByte(chw[2 * plane + i]);
      }
      BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      out.setRGB(0, 0, width, height, rgb, 0, width);
      return out;
    }
  }

  /** The samples of a generator output {@code [B, 3, H, W]}, each as its own array. */
  static List<Rgb> split(TensorData images) {
    long[] s = images.shape();
    int h = (int) s[2];
    int w = (int) s[3];
    int per = 3 * h * w;
    float[] all = images.toFloatArray();
    List<Rgb> out = new ArrayList<>();
    for (int b = 0; b < s[0]; b++) {
      float[] one = new float[per];
      System.arraycopy(all, b * per, one, 0, per);
      out.add(new Rgb(one, h, w));
    }
    return out;
  }

  /** Preprocessed inputs {@code [1, C, 256, 256]} stacked into one batch {@code [B, C, 256, 256]}. */
  static TensorData stack(List<TensorData> inputs) {
    if (inputs.size() == 1) {
      return inputs.get(0);
    }
    long[] shape = inputs.get(0).shape();
    int per = (int) (shape[1] * shape[2] * shape[3]);
    float[] out = new float[inputs.size() * per];
    for (int i = 0; i < inputs.size(); i++) {
      System.arraycopy(inputs.get(i).toFloatArray(), 0, out, i * per, per);
    }
    return TensorData.ofFloats(out, inputs.size(), shape[1], shape[2], shape[3]);
  }

  /**
   * {@code PspModel.translate} of a batch: encode, then decode with the given noise; one image per input.
   * A batch of one is exactly {@code model.translate(List.of(image), noise, size)}.
   */
  static List<Rgb> translate(PspModel model, List<TensorData> inputs, Noise noise, OutputSize size) {
    LatentCode codes = model.encoder().encode(stack(inputs));
    return split(model.generator().synthesize(codes, noise, size));
  }

  /** {@code model.encoder().encode} of a batch; one code {@code [1, n, dim]} per input. */
  static List<LatentCode> encode(PspModel model, List<TensorData> inputs) {
    LatentCode codes = model.encoder().encode(stack(inputs));
    List<LatentCode> out = new ArrayList<>();
    for (int b = 0; b < codes.batchSize(); b++) {
      out.add(codes.sample(b));
    }
    return out;
  }

  /** One code decoded, as {@code psp decode} does. */
  static Rgb decode(PspModel model, LatentCode code, Noise noise, OutputSize size) {
    return split(model.generator().synthesize(code, noise, size)).get(0);
  }

  /**
   * The images of {@code psp mix} for one input: its translation (with the noise of variant 0), then
   * each variant k, the input's code mixed with random code k of {@link StyleMixer#randomCodes}, decoded
   * with the noise of variant k.
   */
  static List<Rgb> mix(PspModel model, TensorData input, StyleMixer mixer, int samples, long seed, NoiseChoice noise,
      OutputSize size) {
    LatentCode code = model.encoder().encode(input);
    List<LatentCode> injects = StyleMixer.randomCodes(model.generator(), samples, seed);
    List<Rgb> out = new ArrayList<>();
    out.add(decode(model, code, noise.noise(0), size));
    for (int k = 0; k < injects.size(); k++) {
      out.add(decode(model, mixer.mix(code, injects.get(k)), noise.noise(k), size));
    }
    return out;
  }

  /**
   * One end of an interpolation: an image's code (encoded alone, as {@code psp interpolate} encodes each
   * end), or a given code's first sample.
   *
   * @param image a preprocessed image {@code [1, C, 256, 256]}, or null when {@code code} is given
   */
  static LatentCode end(PspModel model, TensorData image, LatentCode code) {
    return image != null ? model.encoder().encode(image) : code.sample(0);
  }

  /** The frames of {@code psp interpolate}: {@code steps} codes from {@code a} to {@code b}, both included. */
  static List<Rgb> interpolate(PspModel model, LatentCode a, LatentCode b, int steps, Noise noise, OutputSize size) {
    List<Rgb> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      out.add(decode(model, a.interpolate(b, i / (double) (steps - 1)), noise, size));
    }
    return out;
  }
}
