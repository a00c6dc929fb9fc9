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
// the shared corpus near 260 MB (docs/benchmarks.md).
const memoryFloor = 224 << 20

// A scan that has allocated more than largeScan is a large repository
// (the shared corpus allocates about 600 MiB, 100,000 plain objects about
// 2.6 GiB). Its collections come from the floor: raising the floor to
// largeFloor collects a third less often, about 8% of its time, for some
// 100 MB more (a 100,000-object repository stays under 400 MB).
const (
	largeScan  = 1 << 30
	largeFloor = 320 << 20
)

// adaptMemoryLimit keeps the soft memory limit at the larger of the floor
// and twice the live heap: a small scan keeps the lazy collector's speed
// under the floor, a big one collects as with GOGC=100 instead of letting
// garbage grow to five times its live heap.
func adaptMemoryLimit() {
	debug.SetMemoryLimit(memoryFloor)
	go func() {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
		for range time.Tick(50 * time.Millisecond) {
			metrics.Read(s)
			if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
				return
			}
			floor := int64(memoryFloor)
			if s[1].Value.Uint64() > largeScan {
				floor = largeFloor
			}
			debug.SetMemoryLimit(max(floor, 2*int64(s[0].Value.Uint64())))
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
