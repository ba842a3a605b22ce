/**
 * The SDK's own perceptual network: a {@link dev.psp.training.parser.FaceParser} trained on the
 * synthetic face domain's label maps ({@link dev.psp.training.parser.FaceParserTrainer}, {@code psp
 * train-parser}), whose feature maps pSp training can match ({@code sdk_parser_lambda}) and whose
 * labels of a segmentation model's output it can compare with the input ({@link
 * dev.psp.training.parser.LabelConsistencyLoss}, {@code sdk_parser_labels_lambda}).
 */
package dev.psp.training.parser;
