// Command kupgrade-lint tells you what in a repository breaks on a target
// Kubernetes version. This package is the CLI only: flags, output files and
// exit codes; the work happens in pkg/scan.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
)

// softMemoryLimit bounds the heap of the scanning process (render workers
// have their own budget). Below it the lazy collector's garbage costs
// nothing; above it a big repository pays CPU instead of memory.
const softMemoryLimit = 512 << 20

func main() {
	// A render worker serves and exits here, before flags are parsed.
	sandbox.Main()
	// Rendering allocates heavily and briefly; a lazier collector is ~25%
	// faster for a short-lived CLI. GOGC from the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// ...but the lazy collector would let a big repository's garbage pile
	// up to five times the live heap: past this soft limit the collector
	// runs as often as needed (docs/benchmarks.md). GOMEMLIMIT wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
