// Package report turns study results into what a reader looks at: a table
// of mean accuracies for the terminal, a CSV with one row per trained
// classifier, the article's figure (test accuracy against k, one line per n,
// one panel per VAE training level, baselines dashed) and a grid of original
// digits beside their generated samples.
//
// The package lives outside core on purpose: it depends on gonum/plot, which
// only the native command line needs, so the browser's WebAssembly build
// never links it.
package report
