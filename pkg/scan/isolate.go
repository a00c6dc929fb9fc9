package scan

import "github.com/kupgrade-lint/kupgrade-lint/pkg/isolate"

// Isolate applies, in one place, the process-wide settings a scan relies
// on: no network (unless a remote schema location was asked for on the
// command line), library logs discarded, and library writes to os.Stderr
// muted until restore is called. Commands wrap their whole scan in it;
// render workers apply the same settings themselves.
func Isolate(allowRemote bool) (restore func()) { return isolate.Scan(allowRemote) }
