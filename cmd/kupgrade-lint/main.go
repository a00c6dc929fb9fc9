// Command kupgrade-lint tells you what in a repository breaks on a target
// Kubernetes version. This package is the CLI only: flags, output files and
// exit codes; the work happens in pkg/scan.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
)

// memoryFloor is the soft memory limit of the scanning process while its
// live heap is small (render workers have their own budget). Peak RSS is
// about the limit plus 30–60 MB of binary and runtime pages: 224 MiB keeps
// the shared corpus near 260 MB and a 100,000-object repository near
// 280 MB (docs/benchmarks.md).
const memoryFloor = 224 << 20

// adaptMemoryLimit keeps the soft memory limit at the larger of
// memoryFloor and twice the live heap: a small scan keeps the lazy
// collector's speed under the floor, a big one collects as with GOGC=100
// instead of letting garbage grow to five times its live heap.
func adaptMemoryLimit() {
	debug.SetMemoryLimit(memoryFloor)
	go func() {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for range time.Tick(50 * time.Millisecond) {
			metrics.Read(s)
			if s[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			debug.SetMemoryLimit(max(memoryFloor, 2*int64(s[0].Value.Uint64())))
		}
	}()
}

func main() {
	// A render worker serves and exits here, before flags are parsed.
	sandbox.Main()
	// Rendering allocates heavily and briefly; a lazier collector is ~25%
	// faster for a short-lived CLI. GOGC from the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// ...but it would let a big repository's garbage pile up to five times
	// the live heap (docs/benchmarks.md). GOMEMLIMIT wins.
	if os.Getenv("GOMEMLIMIT") == "" && os.Getenv("GOGC") == "" {
		adaptMemoryLimit()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
