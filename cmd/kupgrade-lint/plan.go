package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/plan"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/planreport"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/report"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
)

func newPlanCmd(stdout, stderr io.Writer) *cobra.Command {
	f := &scanFlags{}
	var failOnExisting bool
	c := &cobra.Command{
		Use:   "plan [PATH]...",
		Short: "Plan an upgrade hop by hop from the current to the target version",
		Long: `Plan judges each PATH (default: the current directory) at every Kubernetes minor from
--current-version to --target-version, charts rendered for that minor, and writes what is already
broken, then for each hop what must be done before the control plane moves (removed APIs, chart
kubeVersion ceilings, addon bridge versions, stale Helm release manifests), node rollout readiness
and an evidence checklist. See docs/plan.md.

Exit codes: 0 nothing at or above --fail-on in any hop; 1 a hop finding or node readiness finding
at or above --fail-on, or an addon that must be upgraded (findings already broken at the current
version count only with --fail-on-existing); 2 usage error or nothing could be scanned.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlan(cmd.Context(), f, failOnExisting, args, stdout, stderr)
		},
	}
	addScanFlags(c, f)
	addReportFlags(c.Flags(), &f.report)
	c.Flags().Lookup("format").Usage = "output format: " + strings.Join(planreport.Formats(), ", ") + "; repeatable, FORMAT=PATH writes to a file (default text)"
	c.Flags().BoolVar(&failOnExisting, "fail-on-existing", false, "also exit 1 for findings already broken at the current version")
	return c
}

func runPlan(ctx context.Context, f *scanFlags, failOnExisting bool, args []string, stdout, stderr io.Writer) error {
	outs, err := planOutputs(f.formats, f.output)
	if err != nil {
		return usageError{err}
	}
	for _, a := range args {
		if a == "-" {
			return usageError{errors.New("plan cannot read stdin: it judges the inputs at every minor, and stdin can be read only once")}
		}
	}
	ro, err := f.report.options(args)
	if err != nil {
		return usageError{err}
	}
	sf := *f
	sf.formats = nil // plan formats are checked above
	opts, _, err := scanOptions(&sf, args, nil)
	if err != nil {
		return err
	}
	restore := scan.Isolate(opts.AllowRemoteSchemas)
	p, err := plan.Run(ctx, opts, failOnExisting)
	restore()
	if err != nil {
		return usageError{err}
	}
	shown := p.Shown(ro.MinSeverity)
	// Markdown and HTML go to pull requests and change tickets: paths from
	// the repository root, as scan's Markdown (--root).
	byRepo := shown.WithPaths(func(file string) string { return report.RepoPath(ro, file) })
	popt := planreport.Options{Quiet: f.quiet, Stats: f.stats}
	for _, o := range outs {
		q := shown
		if o.format == "markdown" || o.format == "html" {
			q = byRepo
		}
		if err := writePlan(o, q, popt, stdout); err != nil {
			return usageError{err}
		}
	}
	if p.ExitCode == 2 {
		if len(args) == 0 {
			args = []string{"."}
		}
		fmt.Fprintln(stderr, "kupgrade-lint: no Kubernetes objects found in", report.SafeLines(strings.Join(args, ", ")))
	}
	if p.ExitCode != 0 {
		return exitError{p.ExitCode}
	}
	return nil
}

func planOutputs(fs []string, outFile string) ([]output, error) {
	return parseOutputs(fs, outFile, "plan format", planreport.Formats())
}

func writePlan(o output, p *plan.Plan, opt planreport.Options, stdout io.Writer) error {
	if o.path == "" || o.path == "-" {
		return planreport.WriteWith(stdout, o.format, p, opt)
	}
	fh, err := os.Create(o.path)
	if err != nil {
		return fmt.Errorf("write %s plan: %w", o.format, err)
	}
	if err := planreport.WriteWith(fh, o.format, p, opt); err != nil {
		_ = fh.Close() // the write error is the one worth reporting
		return fmt.Errorf("write %s plan to %s: %w", o.format, o.path, err)
	}
	return fh.Close()
}
