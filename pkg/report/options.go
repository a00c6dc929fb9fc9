// Package report writes a scan's model.Report in the supported formats. The
// writers are pure functions of the report and the options: no clock, no
// environment, so output is byte-identical across runs.
package report

// Options tune the writers.
type Options struct {
	// Color enables ANSI colours in text output.
	Color bool
	// Quiet prints only findings (no summary) in text output.
	Quiet bool
	// Timestamps allows writers to include wall-clock times.
	Timestamps bool
	// Stats adds per-source render times to text output.
	Stats bool
	// BaseDir is the repository root that relative paths in SARIF refer to.
	BaseDir string
}
