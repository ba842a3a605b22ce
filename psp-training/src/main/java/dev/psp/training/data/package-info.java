/**
 * Training data: paired datasets, the official per-task transforms and a replayable batch order.
 */
package dev.psp.training.data;
