// Package study runs the article's experiment: train a VAE on n originals,
// snapshot it at several training levels, generate k labelled samples around
// each original's latent code, and train the classifier on the originals
// alone and with the generated images, keeping the weights that scored best
// on a held-out validation slice and reporting test accuracy.
//
// A Run is deterministic in its Config (seed included): the same config gives
// the same numbers natively and in the browser. Long loops call Hooks.Progress
// often (every optimiser step and every generated batch), which is where the
// browser yields to its event loop and where a cancelled context is noticed.
package study
