package render

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"os"
)

// ErrNetworkDisabled is returned by every connection attempt after
// DisableNetwork.
var ErrNetworkDisabled = errors.New("network access is disabled: kupgrade-lint renders offline")

// DisableNetwork makes accidental network use fail fast, process-wide. The
// renderers never ask for the network (remote bases are detected and
// reported before Kustomize runs, Helm's DNS and lookup functions are off),
// so this is a second line of defence: http.DefaultTransport refuses every
// request and the pure-Go resolver refuses every lookup. The CLI calls it
// once at startup, before any rendering; library users decide themselves.
func DisableNetwork() {
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

// DiscardLibraryLogs silences the standard log package, which Helm and
// Kustomize use for warnings (values coalescing, deprecated fields). Those
// lines would otherwise land on stderr, interleaved with the report, and
// cannot be attributed to a chart when rendering runs concurrently. The CLI
// calls it once at startup; everything the renderers have to say is
// returned as problems.
func DiscardLibraryLogs() { log.SetOutput(io.Discard) }

// MuteLibraryStderr points os.Stderr at /dev/null until restore is called:
// Kustomize prints notes about deprecated kustomization fields straight to
// os.Stderr, which would interleave with CI logs. Callers wrap whole scans
// in it (it swaps a process-wide variable); kupgrade-lint's own messages go
// to the writers it is given, never os.Stderr.
func MuteLibraryStderr() (restore func()) {
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
