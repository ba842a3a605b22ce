package dev.psp.spark;

/**
 * The outcome for one input: its translated image and/or W+ code, or the reason it failed.
 *
 * @param path the input's path or URI
 * @param name its output name
 * @param png the translated image as PNG bytes; null when not asked for or failed
 * @param code the W+ code {@code [n_styles][dim]} (latent_avg included); null when not asked for or failed
 * @param seed the noise seed of the image; null for the checkpoint's fixed noise
 * @param error why the input failed (unreadable, no face, ...); null on success
 */
record ImageResult(String path, String name, byte[] png, float[][] code, Long seed, String error) {
  boolean failed() {
    return error != null;
  }
}
