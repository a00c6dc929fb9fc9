// Package scan is the pipeline: discover and render inputs, run the rules,
// then post-process findings (suppressions, baseline, dedupe, sort). It is
// the only package that knows all the others; it writes nothing.
package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/config"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// IgnoreAnnotation lists rule IDs (or "all") not to report for an object.
const IgnoreAnnotation = "kupgrade-lint.io/ignore"

// Tool identifies the program in reports.
const Tool = "kupgrade-lint"

// Options describe one scan.
type Options struct {
	Render  render.Options
	Target  kubeversion.Version
	Current kubeversion.Version
	// Config is the repository config (may be nil).
	Config *config.Config
	FailOn model.Severity
	// Baseline removes known findings (nil: none).
	Baseline Filter
	// ToolVersion is reported in outputs.
	ToolVersion string
	// Addons is the addon compatibility matrix (nil: the built-in data).
	Addons *addons.Matrix
	// SchemaLocations add schema locations (kubeconform template syntax);
	// AllowRemoteSchemas permits http(s) ones.
	SchemaLocations    []string
	AllowRemoteSchemas bool
	// Shard restricts the scan to a share of the units (RunShard).
	Shard *Shard
}

// Filter removes known findings (a baseline).
type Filter interface {
	Filter([]model.Finding) (kept []model.Finding, removed int)
}

// Run performs a scan. Errors are returned only for unusable options or
// arguments; problems in the inputs are findings.
func Run(ctx context.Context, opts Options) (*model.Report, error) {
	if opts.Shard != nil {
		return nil, errors.New("a sharded scan writes a partial result: use RunShard")
	}
	c, ruleSet, err := collect(ctx, opts)
	if err != nil {
		return nil, err
	}
	return buildReport(opts, ruleSet, c, allRelative(opts.Render.Paths)), nil
}

// collect checks the options, selects the rules and runs them: streaming,
// or with every object in memory when streaming cannot give the answer.
func collect(ctx context.Context, opts Options) (*collected, []*rules.Rule, error) {
	if err := checkVersions(opts); err != nil {
		return nil, nil, err
	}
	ruleSet, err := Select(rules.All(), opts.Config)
	if err != nil {
		return nil, nil, err
	}
	c, err := stream(ctx, opts, ruleSet)
	if errors.Is(err, errWholeSet) {
		c, err = whole(ctx, opts, ruleSet)
	}
	return c, ruleSet, err
}

// checkVersions validates the target and current versions.
func checkVersions(opts Options) error {
	db := kubeversion.Default()
	if err := db.CheckTarget(opts.Target); err != nil {
		return err
	}
	if !opts.Current.IsZero() {
		if err := db.CheckTarget(opts.Current); err != nil {
			return fmt.Errorf("current version: %w", err)
		}
		if opts.Target.Less(opts.Current) {
			return fmt.Errorf("current version %s is newer than target version %s", opts.Current, opts.Target)
		}
	}
	return nil
}

// buildReport post-processes what the rules found: severities from the
// config, suppressions, paths, timing, order, duplicates, baseline, summary.
func buildReport(opts Options, ruleSet []*rules.Rule, c *collected, relative bool) *model.Report {
	findings := c.findings[opts.Target]
	if c.reported != nil {
		// Files named inside a chart or overlay: only their findings (the
		// filter compares display paths, so before relativize).
		findings = c.reported(findings)
	}
	applySeverity(findings, opts.Config)

	report := &model.Report{
		Tool: Tool, ToolVersion: opts.ToolVersion,
		TargetVersion: opts.Target.String(), FailOn: opts.FailOn,
		Units: c.units, Notices: c.notices,
	}
	for _, r := range ruleSet {
		report.Rules = append(report.Rules, r.Info())
	}
	findings, report.Summary.Suppressed = suppress(findings, c.ignores)
	if relative {
		relativize(findings)
	}
	if !opts.Current.IsZero() {
		report.CurrentVersion = opts.Current.String()
		timeFindings(findings, opts.Current, opts.Target, func(v kubeversion.Version) []model.Finding { return c.findings[v] })
	}
	// Sort before dedupe so the copy that is kept does not depend on
	// goroutine scheduling.
	Sort(findings)
	findings = dedupe(findings)
	if opts.Baseline != nil {
		findings, report.Summary.Baselined = opts.Baseline.Filter(findings)
	}
	report.Findings = findings
	report.Summary.Objects = len(c.refs)
	report.Objects = c.refs
	report.Summary.Files = len(c.units)
	for _, f := range findings {
		report.Summary.Findings++
		switch f.Severity {
		case model.SeverityError:
			report.Summary.Errors++
		case model.SeverityWarning:
			report.Summary.Warnings++
		case model.SeverityInfo:
			report.Summary.Infos++
		}
	}
	report.ExitCode = ExitCode(report, opts.FailOn)
	if report.Summary.Objects == 0 && report.Summary.Findings == 0 && report.Summary.Suppressed == 0 && report.Summary.Baselined == 0 {
		// Nothing could be scanned: a clean report would be a false promise.
		report.ExitCode = ExitUsage
	}
	return report
}

// Render discovers and renders the inputs for the target version without
// running rules (used by scan and by the addons command).
func Render(ctx context.Context, opts Options) (*render.Result, error) {
	ro := opts.Render
	ro.Target = opts.Target
	if ro.APIVersions == nil {
		ro.APIVersions = kubeversion.Default().ServedAPIs(opts.Target)
	}
	res, err := render.Run(ctx, ro)
	if err != nil || opts.Config == nil || len(opts.Config.Problems) == 0 {
		return res, err
	}
	// Entries the repository's config may not have are findings too, kept
	// with the discovery problems (one shard reports them).
	res.Problems = append(append([]model.Problem(nil), opts.Config.Problems...), res.Problems...)
	res.Discovery += len(opts.Config.Problems)
	return res, nil
}

// Exit codes are a public contract.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
)

// ExitCode is 1 when a finding is at or above failOn, else 0.
func ExitCode(r *model.Report, failOn model.Severity) int {
	if failOn == model.SeverityNone {
		return ExitOK
	}
	for _, f := range r.Findings {
		if f.Severity >= failOn {
			return ExitFindings
		}
	}
	return ExitOK
}

// Select returns the rules enabled by default and config.
func Select(all []*rules.Rule, c *config.Config) ([]*rules.Rule, error) {
	known := map[string]bool{}
	for _, r := range all {
		known[r.ID] = true
	}
	if c != nil {
		var unknown []string
		for id := range c.Rules {
			if !known[id] {
				unknown = append(unknown, id)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			return nil, fmt.Errorf("config %s: unknown rule(s): %s (see `kupgrade-lint rules`)", c.Path, strings.Join(unknown, ", "))
		}
	}
	var out []*rules.Rule
	for _, r := range all {
		on := !r.DefaultOff
		if c != nil {
			if rc, ok := c.Rules[r.ID]; ok && rc.Enabled != nil {
				on = *rc.Enabled
			}
		}
		if on {
			out = append(out, r)
		}
	}
	return out, nil
}

func applySeverity(fs []model.Finding, c *config.Config) {
	if c == nil {
		return
	}
	for i := range fs {
		if rc, ok := c.Rules[fs[i].Rule]; ok && rc.Severity != "" {
			s, _ := model.ParseSeverity(rc.Severity)
			fs[i].Severity = s
		}
	}
}

type objKey struct{ file, origin, apiVersion, kind, ns, name string }

// ignoreOf returns the rule IDs o's kupgrade-lint.io/ignore annotation
// lists (nil without the annotation).
func ignoreOf(o *model.Object) (objKey, map[string]bool) {
	v, ok := o.Annotations()[IgnoreAnnotation]
	if !ok {
		return objKey{}, nil
	}
	set := map[string]bool{}
	for _, id := range strings.Split(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			set[id] = true
		}
	}
	return objKey{o.Source.File, o.Source.Origin, o.APIVersion, o.Kind, o.Namespace, o.Name}, set
}

// suppress drops findings on objects annotated with kupgrade-lint.io/ignore.
func suppress(fs []model.Finding, ignores map[objKey]map[string]bool) ([]model.Finding, int) {
	if len(ignores) == 0 {
		return fs, 0
	}
	out := fs[:0]
	n := 0
	for _, f := range fs {
		set := ignores[objKey{f.File, f.Origin, f.APIVersion, f.Kind, f.Namespace, f.Name}]
		if set != nil && (set["all"] || set[f.Rule]) {
			n++
			continue
		}
		out = append(out, f)
	}
	return out, n
}

// timeFindings says for each finding whether it already exists on the
// current version or at which hop of the upgrade it appears.
func timeFindings(fs []model.Finding, current, target kubeversion.Version, run func(kubeversion.Version) []model.Finding) {
	first := map[string]kubeversion.Version{}
	for v := current; !target.Less(v); v = v.Next() {
		var got []model.Finding
		if v == target {
			got = fs
		} else {
			got = run(v)
		}
		for _, f := range got {
			if _, ok := first[f.Fingerprint]; !ok {
				first[f.Fingerprint] = v
			}
		}
	}
	for i := range fs {
		v, ok := first[fs[i].Fingerprint]
		if !ok {
			continue
		}
		if v == current {
			fs[i].Timing = "current"
			continue
		}
		fs[i].Timing = "upgrade"
		fs[i].Hop = fmt.Sprintf("%s→%s", kubeversion.Version{Major: v.Major, Minor: v.Minor - 1}, v)
	}
}

// dedupe drops findings that are the same problem at the same place, e.g.
// one base reached through two overlays.
func dedupe(fs []model.Finding) []model.Finding {
	type key struct {
		rule, file                string
		line, col                 int
		kind, ns, name, path, msg string
	}
	seen := map[key]bool{}
	out := fs[:0]
	for _, f := range fs {
		k := key{f.Rule, f.File, f.Line, f.Column, f.Kind, f.Namespace, f.Name, f.FieldPath, f.Message}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

// Sort orders findings deterministically: file, line, column, rule, object,
// message.
func Sort(fs []model.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		case a.Kind != b.Kind:
			return a.Kind < b.Kind
		case a.Namespace != b.Namespace:
			return a.Namespace < b.Namespace
		case a.Name != b.Name:
			return a.Name < b.Name
		case a.Message != b.Message:
			return a.Message < b.Message
		case a.Origin != b.Origin:
			return a.Origin < b.Origin
		}
		return a.Fingerprint < b.Fingerprint
	})
}

func allRelative(paths []string) bool {
	for _, p := range paths {
		if filepath.IsAbs(p) {
			return false
		}
	}
	return true
}

// relativize shows absolute paths relative to the working directory, so
// every finding's file reads the same way whichever library produced it.
func relativize(fs []model.Finding) {
	wd, err := os.Getwd()
	if err != nil {
		return
	}
	rel := func(p string) string {
		if !filepath.IsAbs(p) {
			return p
		}
		if r, err := filepath.Rel(wd, p); err == nil {
			return filepath.ToSlash(r)
		}
		return p
	}
	for i := range fs {
		fs[i].File = rel(fs[i].File)
		fs[i].Origin = rel(fs[i].Origin)
	}
}
