// Command vaeaug runs the study natively: it prints the models, and (in later
// subcommands) trains them and draws the article's figure.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: vaeaug <command> [flags]

commands:
  run       one configuration: vaeaug run -n 100 -k 10 [-quick] [-out DIR]
  grid      the article's grid: n 100,200,400,800 × k 10,50,250 × VAE levels [-repeats R]
  summary   print both models' layer tables, as Keras' model.summary() does

Run 'vaeaug <command> -h' for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], stdout, stderr)
	case "grid":
		return gridCmd(args[1:], stdout, stderr)
	case "summary":
		return summary(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "vaeaug: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
