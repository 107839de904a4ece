package main

import (
	"flag"
	"fmt"
	"io"

	"vaeaug/core/model"
)

// summary prints the classifier's and the VAE's layer tables.
func summary(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vaeaug summary: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := model.NewClassifier(1).Summary(stdout); err != nil {
		fmt.Fprintln(stderr, "vaeaug summary:", err)
		return 1
	}
	fmt.Fprintln(stdout)
	if err := model.NewVAE(1).Summary(stdout); err != nil {
		fmt.Fprintln(stderr, "vaeaug summary:", err)
		return 1
	}
	return 0
}
