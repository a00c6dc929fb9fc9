// Package report writes a scan's model.Report in the supported formats. The
// writers are pure functions of the report and the options: no clock, no
// environment, so output is byte-identical across runs.
package report

import "github.com/kupgrade-lint/kupgrade-lint/pkg/model"

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
	// Root is the absolute repository root: SARIF, GitLab, GitHub,
	// Markdown and JUnit paths are relative to it, and files outside it are
	// written as absolute paths (file:// URIs in SARIF). Empty keeps paths
	// as scanned.
	Root string
	// WorkDir is the absolute working directory that relative finding paths
	// are resolved from.
	WorkDir string
	// MinSeverity hides findings below it in every format; counts and the
	// exit code still cover all findings.
	MinSeverity model.Severity

	// hidden counts the findings MinSeverity left out; Write sets it.
	hidden int
}
