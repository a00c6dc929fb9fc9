package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/config"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/report"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
)

// runShard writes one shard's partial result (scan --shard i/n).
func runShard(ctx context.Context, f *scanFlags, opts scan.Options, outs []output, stdout io.Writer) error {
	sh, err := scan.ParseShard(f.shard)
	if err != nil {
		return usageError{err}
	}
	if len(outs) != 1 || outs[0].format != "json" {
		return usageError{errors.New("--shard writes the shard's partial result as JSON: use --format json (-o FILE or json=FILE), then `kupgrade-lint merge`")}
	}
	opts.Shard = sh
	restore := scan.Isolate(opts.AllowRemoteSchemas)
	p, err := scan.RunShard(ctx, opts)
	restore()
	if err != nil {
		return usageError{err}
	}
	if path := outs[0].path; path != "" && path != "-" {
		fh, err := os.Create(path)
		if err != nil {
			return usageError{err}
		}
		if err := scan.WritePartial(fh, p); err != nil {
			_ = fh.Close() // the write error is the one worth reporting
			return usageError{err}
		}
		return fh.Close()
	}
	return scan.WritePartial(stdout, p)
}

func newMergeCmd(stdout, stderr io.Writer) *cobra.Command {
	f := &scanFlags{}
	c := &cobra.Command{
		Use:   "merge PART.json...",
		Short: "Merge the partial results of `scan --shard i/n` into one report",
		Long: `Merge reads the partial results written by every shard of a scan (scan --shard 1/n ... n/n
--format json -o part-i.json), runs the rules that need the whole object set (disruption budgets,
LimitRanges, addons, custom resources) and writes the report an unsharded scan would write, in any
format. The target version comes from the parts; the config gives rule selection and severities.

Exit codes are those of scan: 0 nothing at or above --fail-on; 1 findings at or above --fail-on;
2 usage error or nothing was scanned.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMerge(f, args, stdout, stderr)
		},
	}
	// Nothing is rendered: the render budgets keep their defaults.
	addSandboxFlags(pflag.NewFlagSet("merge", pflag.ContinueOnError), &f.sandbox)
	fl := c.Flags()
	fl.StringArrayVar(&f.formats, "format", nil, "output format: "+strings.Join(report.Formats(), ", ")+"; repeatable, FORMAT=PATH writes to a file (default text)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of stdout")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when a finding is at or above: error, warning, info or none (default error)")
	fl.StringVar(&f.configPath, "config", "", "config file (default: "+config.FileName+" in the current directory or a parent)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print findings only, no summary")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour text output (also: NO_COLOR)")
	fl.StringVar(&f.baseline, "baseline", "", "report only findings that are not in this baseline file")
	fl.StringArrayVar(&f.schemaLocations, "schema-location", nil, "extra schema location for custom resources, as given to scan (repeatable)")
	fl.StringArrayVar(&f.addonFiles, "addon-matrix", nil, "addon compatibility file merged over the built-in data, as given to scan (repeatable)")
	return c
}

func runMerge(f *scanFlags, args []string, stdout, stderr io.Writer) error {
	var parts []*scan.Partial
	for _, a := range args {
		fh, err := os.Open(a)
		if err != nil {
			return usageError{err}
		}
		p, err := scan.ReadPartial(fh)
		_ = fh.Close() // read-only
		if err != nil {
			return usageError{fmt.Errorf("%s: %w", a, err)}
		}
		parts = append(parts, p)
	}
	f.target, f.current = parts[0].TargetVersion, parts[0].CurrentVersion
	opts, outs, err := scanOptions(f, []string{"."}, nil)
	if err != nil {
		return err
	}
	restore := scan.Isolate(opts.AllowRemoteSchemas)
	rep, err := scan.Merge(opts, parts)
	restore()
	if err != nil {
		return usageError{err}
	}
	rep.ToolVersion = toolVersion()
	color := !f.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout)
	// Paths in the parts are relative to where the shards ran: the same
	// checkout, so the repository root is found from here.
	base, err := (&reportFlags{}).options([]string{"."})
	if err != nil {
		return usageError{err}
	}
	for _, o := range outs {
		ro := base
		ro.Quiet, ro.Color = f.quiet, color && o.path == ""
		if err := writeReport(o, rep, ro, stdout); err != nil {
			return usageError{err}
		}
	}
	if rep.ExitCode == scan.ExitUsage {
		fmt.Fprintln(stderr, "kupgrade-lint: the partial results hold no Kubernetes objects")
		return exitError{scan.ExitUsage}
	}
	if rep.ExitCode != scan.ExitOK {
		return exitError{rep.ExitCode}
	}
	return nil
}
