// Package model assembles the article's two networks from nn layers: the
// VGG-like classifier and the convolutional VAE (see SPEC.md), with their
// training steps, Keras-style summaries and Keras-layout weight files.
//
// Layer names follow standalone Keras 2: one counter per layer class,
// starting at 1 (conv2d_1, batch_normalization_1, dense_1, …), counted across
// the VAE's encoder and decoder as one Keras session would.
package model
