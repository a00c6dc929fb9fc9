// Package sandbox runs untrusted work — rendering charts and overlays from
// a pull request — in worker processes of the running binary. A render that
// exhausts memory, recurses without end or never returns then costs one
// finding instead of the whole scan: the worker is killed or dies, and the
// pool starts another.
//
// A worker is the same executable started with a marker in its
// environment. It gets an environment of its own (no CI secrets to read
// back through /proc/self/environ), an empty PATH, its own user and network
// namespaces where the kernel allows them, a seccomp filter that refuses
// execve and internet sockets, an address-space limit, and a watchdog that
// ends it when its resident memory passes the budget. The parent enforces
// the time budget by killing it.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// envWorker marks a worker process; its value is the protocol version.
const envWorker = "KUPGRADE_LINT_SANDBOX_WORKER"

// envMemory passes the memory budget (bytes) to a worker.
const envMemory = "KUPGRADE_LINT_SANDBOX_MEMORY"

// exitMemory is the exit code of a worker that its watchdog ended.
const exitMemory = 86

// Handler serves one request inside a worker.
type Handler func(ctx context.Context, req []byte) ([]byte, error)

var (
	handlersMu sync.Mutex
	handlers   = map[string]Handler{}
	available  atomic.Bool
)

// Register makes a handler callable by name in workers. Packages call it
// from init, so the handler exists in every process of the binary.
func Register(name string, h Handler) {
	handlersMu.Lock()
	defer handlersMu.Unlock()
	if _, dup := handlers[name]; dup {
		panic("sandbox: handler registered twice: " + name)
	}
	handlers[name] = h
}

func handler(name string) Handler {
	handlersMu.Lock()
	defer handlersMu.Unlock()
	return handlers[name]
}

// Main must run first in main (and in TestMain of packages whose tests
// render): in a worker process it serves requests and exits; otherwise it
// records that this executable can serve as a worker, and returns.
func Main() {
	if os.Getenv(envWorker) == "" {
		available.Store(true)
		return
	}
	os.Exit(serve())
}

// Available reports whether Main was called, so workers can be started.
func Available() bool { return available.Load() }

// Limits are the budgets of one call.
type Limits struct {
	// Memory is the most resident memory a worker may use (bytes).
	Memory int64
	// Timeout is the longest one call may take.
	Timeout time.Duration
}

// DefaultLimits fit the largest public charts with a wide margin: the
// biggest chart of the shared corpus renders in about 1 s, and the whole
// corpus renders within a 256 MiB budget.
var DefaultLimits = Limits{Memory: 512 << 20, Timeout: 30 * time.Second}

// BudgetError says a call ran out of time or memory.
type BudgetError struct {
	// Resource is "time" or "memory".
	Resource string
	Limit    string
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("exceeded the %s budget of %s", e.Resource, e.Limit)
}

// CrashError says a worker died for another reason.
type CrashError struct{ Reason string }

func (e *CrashError) Error() string { return "the render worker crashed: " + e.Reason }

// ErrUnavailable means the executable cannot start workers (Main was not
// called, or starting the process failed).
var ErrUnavailable = errors.New("sandbox workers are not available")

// FormatBytes prints a budget the way users write it.
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
