// Command monorepo writes the synthetic monorepo used by the memory and
// speed benchmarks: go run ./internal/gen/monorepo -out DIR -objects 100000.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/kupgrade-lint/kupgrade-lint/internal/monorepo"
)

func main() {
	out := flag.String("out", "", "directory to write (created)")
	n := flag.Int("objects", 100000, "number of objects")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "monorepo: -out is required")
		os.Exit(2)
	}
	files, err := monorepo.Write(*out, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "monorepo:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d objects in %d files below %s\n", *n, files, *out)
}
