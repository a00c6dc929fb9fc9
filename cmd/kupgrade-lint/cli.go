package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addonapis"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/config"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/report"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// version is set with -ldflags "-X main.version=..." by release builds.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.0.0-dev"
}

// usageError marks errors that exit with code 2.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// exitError carries a non-error exit code (findings at or above --fail-on).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	var ee exitError
	switch {
	case err == nil:
		return scan.ExitOK
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintf(stderr, "kupgrade-lint: %s\n", report.SafeLines(err.Error()))
		return scan.ExitUsage
	}
}

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "kupgrade-lint",
		Short: "Find what in a repository breaks on a target Kubernetes version",
		Long: `kupgrade-lint scans plain manifests, Helm charts and Kustomize overlays and reports what
breaks or hurts on a target Kubernetes version: removed and deprecated APIs, fields, labels and
annotations, schema errors, drain-blocking disruption budgets, missing resource requests, addon
compatibility and chart kubeVersion constraints. It works offline and never runs code from the
repository it scans.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w\nRun '%s --help' for usage", err, c.CommandPath())}
	})
	root.AddCommand(newScanCmd(stdin, stdout, stderr), newVersionCmd(stdout), newAPIsCmd(stdout), newRulesCmd(stdout), newExplainCmd(stdout), newMergeCmd(stdout, stderr), newAddonsCmd(stdin, stdout), newBaselineCmd(stdin, stdout), newSchemasCmd(stdout))
	root.AddCommand(newPlanCmd(stdout, stderr))
	return root
}

func newRulesCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its ID, default severity and summary",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tDEFAULT\tSUMMARY")
			for _, r := range rules.All() {
				def := "on"
				if r.DefaultOff {
					def = "off"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, def, r.Summary)
			}
			return tw.Flush()
		},
	}
}

func newExplainCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Print a rule's documentation",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			r, ok := rules.ByID(args[0])
			if !ok {
				return usageError{fmt.Errorf("unknown rule %q (see `kupgrade-lint rules`)", args[0])}
			}
			_, err := io.WriteString(stdout, rules.Markdown(r))
			return err
		},
	}
}

func newAPIsCmd(stdout io.Writer) *cobra.Command {
	var target string
	var all bool
	c := &cobra.Command{
		Use:   "apis --target-version X",
		Short: "List the APIs removed or deprecated at a Kubernetes version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			db := kubeversion.Default()
			v, err := kubeversion.Parse(target)
			if err != nil {
				return usageError{err}
			}
			if err := db.CheckTarget(v); err != nil {
				return usageError{err}
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "STATUS\tAPIVERSION\tKIND\tDEPRECATED\tREMOVED\tREPLACEMENT\tNOTES")
			for _, a := range db.APIs() {
				status := ""
				switch {
				case a.RemovedAt(v):
					status = "removed"
				case a.DeprecatedAt(v):
					status = "deprecated"
				default:
					continue
				}
				if !all && a.DefaultOff && a.RemovedAt(v) && a.Removed.Less(kubeversion.Version{Major: 1, Minor: v.Minor - 6}) {
					// Long-gone alpha APIs are noise unless asked for.
					continue
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", status, a.APIVersion(), a.Kind, dash(a.Deprecated.String()), dash(a.RemovalText()), dash(a.Replacement), a.Notes)
			}
			if all {
				// Addon APIs: releases, not Kubernetes versions, serve them.
				writeAddonAPIRows(tw, addonapis.Default(), addons.Default(), v)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&target, "target-version", "", "Kubernetes version, e.g. 1.33 (required)")
	c.Flags().BoolVar(&all, "all", false, "also list alpha APIs removed long before the target, and every addon API (marked with its addon)")
	_ = c.MarkFlagRequired("target-version")
	return c
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type scanFlags struct {
	target, current, configPath, output, failOn string
	formats                                     []string
	quiet, noColor, stats, renderAll, ciValues  bool
	allowEmpty                                  bool
	excludes, values, set, setString            []string
	baseline                                    string
	addonFiles                                  []string
	schemaLocations                             []string
	workers                                     int
	sandbox                                     sandboxFlags
	report                                      reportFlags
	shard                                       string
}

func newScanCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	f := &scanFlags{}
	c := &cobra.Command{
		Use:   "scan [PATH|-]...",
		Short: "Scan files, charts and overlays for what breaks on the target version",
		Long: `Scan walks each PATH (default: the current directory), renders Helm charts and Kustomize
overlays offline for the target version, and reports findings. "-" reads manifests from stdin.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on; 2 usage error
or nothing could be scanned.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), f, cmd, args, stdin, stdout, stderr)
		},
	}
	addScanFlags(c, f)
	c.Flags().BoolVar(&f.allowEmpty, "allow-empty", false, "exit 0 when the paths hold no Kubernetes object (hooks given changed files: a commit of package.json only)")
	addReportFlags(c.Flags(), &f.report)
	c.Flags().StringVar(&f.shard, "shard", "", "scan only share i of n of the files, charts and overlays (i/n) and write a partial result as JSON for `kupgrade-lint merge`")
	return c
}

// addScanFlags registers the flags shared by scan and baseline write.
func addScanFlags(c *cobra.Command, f *scanFlags) {
	fl := c.Flags()
	fl.StringVar(&f.target, "target-version", "", "Kubernetes version to upgrade to: 1.33, v1.33 or 1.33.2 (or targetVersion in the config)")
	fl.StringVar(&f.current, "current-version", "", "Kubernetes version running today; findings then say whether they already break or at which hop")
	fl.StringArrayVar(&f.formats, "format", nil, "output format: "+strings.Join(report.Formats(), ", ")+"; repeatable, FORMAT=PATH writes to a file (default text)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of stdout")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when a finding is at or above: error, warning, info or none (default error)")
	fl.StringVar(&f.configPath, "config", "", "config file (default: "+config.FileName+" in the current directory or a parent)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print findings only, no summary")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour text output (also: NO_COLOR)")
	fl.StringArrayVar(&f.excludes, "exclude", nil, "doublestar glob of paths not to scan (repeatable)")
	fl.StringArrayVarP(&f.values, "values", "f", nil, "values file applied to every chart (repeatable)")
	fl.StringArrayVar(&f.set, "set", nil, "set a chart value, key=value (repeatable, applied to every chart)")
	fl.StringArrayVar(&f.setString, "set-string", nil, "set a chart value as a string, key=value (repeatable)")
	fl.BoolVar(&f.ciValues, "chart-ci-values", false, "also render each chart with every ci/*values*.yaml file")
	fl.BoolVar(&f.renderAll, "render-all", false, "render every kustomization, including bases and components")
	fl.BoolVar(&f.stats, "stats", false, "print per-source render and decode times")
	fl.StringVar(&f.baseline, "baseline", "", "report only findings that are not in this baseline file")
	fl.StringArrayVar(&f.schemaLocations, "schema-location", nil, "extra schema location for custom resources, in kubeconform's template syntax (repeatable; local paths, or an http(s) URL given explicitly)")
	fl.StringArrayVar(&f.addonFiles, "addon-matrix", nil, "addon compatibility file merged over the built-in data (repeatable)")
	fl.IntVarP(&f.workers, "jobs", "j", 0, "parallel workers (default: number of CPUs)")
	addSandboxFlags(fl, &f.sandbox)
}

type output struct {
	format string
	path   string
}

func parseFormats(fs []string, outFile string) ([]output, error) {
	return parseOutputs(fs, outFile, "format", report.Formats())
}

// parseOutputs reads repeated --format F[=PATH] flags (what names the kind
// of format in errors) into where each format goes.
func parseOutputs(fs []string, outFile, what string, formats []string) ([]output, error) {
	if len(fs) == 0 {
		fs = []string{"text"}
	}
	known := map[string]bool{}
	for _, k := range formats {
		known[k] = true
	}
	var outs []output
	toStdout := 0
	for _, f := range fs {
		name, path, _ := strings.Cut(f, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if !known[name] {
			return nil, fmt.Errorf("unknown %s %q (want one of %s)", what, name, strings.Join(formats, ", "))
		}
		if path == "" {
			toStdout++
			path = outFile
		}
		outs = append(outs, output{format: name, path: path})
	}
	if toStdout > 1 && outFile == "" {
		return nil, errors.New("only one --format can write to stdout; give the others a file with FORMAT=PATH")
	}
	return outs, nil
}

// scanOptions turns flags, config and arguments into scan options.
func scanOptions(f *scanFlags, args []string, stdin io.Reader) (scan.Options, []output, error) {
	cfgPath := f.configPath
	if cfgPath == "" {
		cfgPath = config.Find(".")
	}
	var cfg *config.Config
	if cfgPath != "" {
		c, err := config.Load(cfgPath)
		if err != nil {
			return scan.Options{}, nil, usageError{err}
		}
		cfg = c
	} else {
		cfg = &config.Config{}
	}
	targetStr := f.target
	if targetStr == "" {
		targetStr = cfg.TargetVersion
	}
	if targetStr == "" {
		return scan.Options{}, nil, usageError{errors.New("--target-version is required (or set targetVersion in " + config.FileName + ")")}
	}
	target, err := kubeversion.Parse(targetStr)
	if err != nil {
		return scan.Options{}, nil, usageError{err}
	}
	var current kubeversion.Version
	if cs := firstNonEmpty(f.current, cfg.CurrentVersion); cs != "" {
		if current, err = kubeversion.Parse(cs); err != nil {
			return scan.Options{}, nil, usageError{fmt.Errorf("--current-version: %w", err)}
		}
	}
	failOn := model.SeverityError
	if fo := firstNonEmpty(f.failOn, cfg.FailOn); fo != "" {
		if failOn, err = model.ParseSeverity(fo); err != nil {
			return scan.Options{}, nil, usageError{fmt.Errorf("--fail-on: %w", err)}
		}
	}
	outs, err := parseFormats(f.formats, f.output)
	if err != nil {
		return scan.Options{}, nil, usageError{err}
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	opts := scan.Options{
		Target: target, Current: current, Config: cfg, FailOn: failOn, ToolVersion: toolVersion(),
		Render: render.Options{
			Paths: args, Stdin: stdin, Excludes: append(append([]string(nil), cfg.Exclude...), f.excludes...),
			MaxFileSize: cfg.MaxFileSize, Workers: f.workers, RenderAll: f.renderAll,
		},
	}
	if err := configureRender(&opts.Render, cfg, f); err != nil {
		return scan.Options{}, nil, usageError{err}
	}
	if err := configureExtras(&opts, cfg, f); err != nil {
		return scan.Options{}, nil, usageError{err}
	}
	return opts, outs, nil
}

func runScan(ctx context.Context, f *scanFlags, _ *cobra.Command, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		args = []string{"."}
	}
	if f.shard != "" && len(f.formats) == 0 {
		f.formats = []string{"json"}
	}
	opts, outs, err := scanOptions(f, args, stdin)
	if err != nil {
		return err
	}
	if f.shard != "" {
		return runShard(ctx, f, opts, outs, stdout)
	}
	ro, err := f.report.options(args)
	if err != nil {
		return usageError{err}
	}
	restore := scan.Isolate(opts.AllowRemoteSchemas)
	rep, err := scan.Run(ctx, opts)
	restore()
	if err != nil {
		return usageError{err}
	}
	color := !f.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout)
	for _, o := range outs {
		ro.Quiet, ro.Stats, ro.Color = f.quiet, f.stats, color && o.path == ""
		if err := writeReport(o, rep, ro, stdout); err != nil {
			return usageError{err}
		}
	}
	if rep.ExitCode == scan.ExitUsage && f.allowEmpty {
		return nil
	}
	if rep.ExitCode == scan.ExitUsage {
		fmt.Fprintln(stderr, "kupgrade-lint: no Kubernetes objects found in", report.SafeLines(strings.Join(args, ", ")))
		return exitError{scan.ExitUsage}
	}
	if rep.ExitCode != scan.ExitOK {
		return exitError{rep.ExitCode}
	}
	return nil
}

func writeReport(o output, rep *model.Report, ro report.Options, stdout io.Writer) error {
	if o.path == "" || o.path == "-" {
		return report.Write(stdout, o.format, rep, ro)
	}
	fh, err := os.Create(o.path)
	if err != nil {
		return fmt.Errorf("write %s report: %w", o.format, err)
	}
	if err := report.Write(fh, o.format, rep, ro); err != nil {
		_ = fh.Close() // the write error is the one worth reporting
		return fmt.Errorf("write %s report to %s: %w", o.format, o.path, err)
	}
	return fh.Close()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func isTerminal(w io.Writer) bool {
	fh, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := fh.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
