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

func main() {
	// A render worker serves and exits here, before flags are parsed.
	sandbox.Main()
	// Rendering allocates heavily and briefly; a lazier collector is ~25%
	// faster for a short-lived CLI. GOGC from the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
