// Package isolate is the one place that changes process-wide state for a
// scan: the network is refused, the standard log package (Helm's and
// Kustomize's warnings) is discarded, and os.Stderr, where Kustomize prints
// notes, is muted. Commands that scan call Scan around the whole scan;
// render workers call Worker once.
package isolate

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"os"
)

// ErrNetworkDisabled is returned by every connection attempt once the
// network is refused.
var ErrNetworkDisabled = errors.New("network access is disabled: kupgrade-lint renders offline")

// Scan applies the settings a scanning process relies on: no network
// (unless allowRemote: a remote schema location was asked for on the
// command line), library logs discarded, and library writes to os.Stderr
// muted until restore is called.
func Scan(allowRemote bool) (restore func()) {
	if !allowRemote {
		disableNetwork()
	}
	DiscardLogs()
	return MuteStderr()
}

// Worker applies the settings in a render worker, for its whole life: no
// network (belt and braces: the seccomp filter refuses sockets already)
// and library logs discarded. Its stderr stays: the worker's own messages
// reach the parent there.
func Worker() {
	disableNetwork()
	DiscardLogs()
}

// disableNetwork makes accidental network use fail fast, process-wide. The
// renderers never ask for the network (remote bases are detected and
// reported before Kustomize runs, Helm's DNS and lookup functions are off),
// so this is a second line of defence: http.DefaultTransport refuses every
// request and the pure-Go resolver refuses every lookup.
func disableNetwork() {
	http.DefaultTransport = refusingTransport{}
	http.DefaultClient.Transport = refusingTransport{}
	net.DefaultResolver = &net.Resolver{
		PreferGo: true,
		Dial: func(context.Context, string, string) (net.Conn, error) {
			return nil, ErrNetworkDisabled
		},
	}
}

type refusingTransport struct{}

func (refusingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, ErrNetworkDisabled
}

// DiscardLogs silences the standard log package, which Helm and Kustomize
// use for warnings (values coalescing, deprecated fields). Those lines
// would otherwise land on stderr, interleaved with the report, and cannot
// be attributed to a chart when rendering runs concurrently; everything
// the renderers have to say is returned as problems.
func DiscardLogs() { log.SetOutput(io.Discard) }

// MuteStderr points os.Stderr at /dev/null until restore is called:
// Kustomize prints notes about deprecated kustomization fields straight to
// os.Stderr, which would interleave with CI logs. It swaps a process-wide
// variable, so callers wrap whole scans in it; kupgrade-lint's own
// messages go to the writers it is given, never os.Stderr.
func MuteStderr() (restore func()) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return func() {}
	}
	saved := os.Stderr
	os.Stderr = devnull
	return func() {
		os.Stderr = saved
		_ = devnull.Close()
	}
}
