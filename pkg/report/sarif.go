package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// FingerprintKey names our entry in SARIF partialFingerprints. The version
// suffix changes only if the fingerprint recipe changes.
const FingerprintKey = "kupgradeLintFingerprint/v1"

// srcRoot is the uriBaseId of every artifact location: the repository root,
// which the consumer (GitHub, GitLab) knows, so no absolute path is written.
const srcRoot = "%SRCROOT%"

// stdinName is the file name the scan gives objects read from stdin.
const stdinName = "<stdin>"

var semverRE = regexp.MustCompile(`^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)$`)

// SARIF writes r as a SARIF 2.1.0 log with one run.
func SARIF(w io.Writer, r *model.Report, opt Options) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	// The OASIS copy of the schema is the stable, official location.
	log.Schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	run := sarif.NewRunWithInformationURI(toolName(r), informationURI)
	driver := run.Tool.Driver
	if r.ToolVersion != "" {
		v := r.ToolVersion
		driver.Version = &v
		sv := semanticVersion(v)
		driver.SemanticVersion = &sv
	}

	// Rules: every rule of the report, then any rule a finding names that the
	// report did not list, so ruleIndex is always valid.
	index := map[string]int{}
	driver.Rules = []*sarif.ReportingDescriptor{}
	for i := range r.Rules {
		index[r.Rules[i].ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule(&r.Rules[i]))
	}
	for i := range r.Findings {
		id := r.Findings[i].Rule
		if _, ok := index[id]; !ok {
			index[id] = len(driver.Rules)
			driver.Rules = append(driver.Rules, sarifRule(&model.RuleInfo{ID: id, Title: id, Severity: r.Findings[i].Severity, Enabled: true}))
		}
	}

	rules := ruleMap(r)
	paths := newPathMap(opt)
	if root := paths.rootURI(); root != "" {
		run.OriginalUriBaseIDs = map[string]*sarif.ArtifactLocation{srcRoot: {URI: &root}}
	}
	run.Results = []*sarif.Result{}
	var notes []*sarif.Notification
	// Blockers first, as in the text report: viewers that list results in
	// log order show what breaks the upgrade at the top.
	for _, i := range blockersFirst(r.Findings) {
		f := &r.Findings[i]
		if paths.path(f.File) == "" && f.File != stdinName {
			// GitHub rejects a whole upload if one result has no location;
			// a finding about no file at all (a rule's internal error) is
			// a note about the run instead.
			notes = append(notes, &sarif.Notification{
				Level:          sarifLevel(f.Severity),
				Message:        sarif.NewTextMessage(f.Message),
				AssociatedRule: ruleRef(f.Rule, index[f.Rule]),
			})
			continue
		}
		res := sarif.NewRuleResult(f.Rule).
			WithRuleIndex(index[f.Rule]).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message))
		if loc := sarifLocation(f, paths); loc != nil {
			res.Locations = []*sarif.Location{loc}
		}
		if f.Fingerprint != "" {
			res.PartialFingerprints = map[string]any{FingerprintKey: f.Fingerprint}
		}
		if rel := relatedLocation(f, paths); rel != nil {
			res.RelatedLocations = []*sarif.Location{rel}
		}
		if props := findingProps(f); len(props) > 0 {
			res.Properties = props
		}
		run.Results = append(run.Results, res)

		if isProblem(f, rules) {
			n := &sarif.Notification{
				Level:          sarifLevel(f.Severity),
				Message:        sarif.NewTextMessage(f.Message),
				AssociatedRule: ruleRef(f.Rule, index[f.Rule]),
			}
			if loc := physicalOnly(f, paths); loc != nil {
				n.Locations = []*sarif.Location{loc}
			}
			notes = append(notes, n)
		}
	}

	ok := r.ExitCode < 2
	exit := r.ExitCode
	inv := &sarif.Invocation{ExecutionSuccessful: &ok, ExitCode: &exit, ToolExecutionNotifications: notes}
	run.Invocations = []*sarif.Invocation{inv}
	run.ColumnKind = "unicodeCodePoints"

	props := sarif.Properties{}
	if r.TargetVersion != "" {
		props["targetVersion"] = r.TargetVersion
	}
	if r.CurrentVersion != "" {
		props["currentVersion"] = r.CurrentVersion
	}
	if r.FailOn != model.SeverityNone {
		props["failOn"] = r.FailOn.String()
	}
	if r.Summary.Baselined > 0 {
		props["baselined"] = r.Summary.Baselined
	}
	if r.Summary.Suppressed > 0 {
		props["suppressed"] = r.Summary.Suppressed
	}
	if len(props) > 0 {
		run.Properties = props
	}
	log.AddRun(run)

	// Encode ourselves: go-sarif's writers escape HTML and omit the final
	// newline.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func sarifRule(ri *model.RuleInfo) *sarif.ReportingDescriptor {
	d := &sarif.ReportingDescriptor{ID: ri.ID}
	name := pascal(ri.ID)
	d.Name = &name
	title := ri.Title
	if title == "" {
		title = ri.ID
	}
	d.ShortDescription = sarif.NewMultiformatMessageString(title)
	if ri.Summary != "" {
		d.FullDescription = sarif.NewMultiformatMessageString(ri.Summary)
	}
	if ri.HelpURI != "" {
		u := ri.HelpURI
		d.HelpURI = &u
	}
	if text, md := ruleHelp(ri); text != "" {
		d.Help = sarif.NewMultiformatMessageString(text).WithMarkdown(md)
	}
	cfg := &sarif.ReportingConfiguration{Level: sarifLevel(ri.Severity)}
	if !ri.Enabled {
		off := false
		cfg.Enabled = &off
	}
	d.DefaultConfiguration = cfg
	if len(ri.Tags) > 0 {
		tags := append([]string(nil), ri.Tags...)
		sort.Strings(tags)
		d.Properties = sarif.Properties{"tags": tags}
	}
	return d
}

// ruleHelp builds the help text (plain and markdown) from the rule's summary,
// doc and remediation.
func ruleHelp(ri *model.RuleInfo) (text, md string) {
	var t, m strings.Builder
	if ri.Summary != "" {
		t.WriteString(ri.Summary)
		m.WriteString(ri.Summary)
	}
	if ri.Doc != "" {
		m.WriteString("\n\n" + ri.Doc)
	}
	if ri.Remediation != "" {
		t.WriteString("\n\nHow to fix: " + ri.Remediation)
		m.WriteString("\n\n**How to fix:** " + ri.Remediation)
	}
	if ri.HelpURI != "" {
		t.WriteString("\n\nMore: " + ri.HelpURI)
		m.WriteString("\n\n[Rule documentation](" + ri.HelpURI + ")")
	}
	return strings.TrimSpace(t.String()), strings.TrimSpace(m.String())
}

// sarifLevel maps severities to SARIF levels (info is "note").
func sarifLevel(s model.Severity) string {
	switch s {
	case model.SeverityError:
		return "error"
	case model.SeverityWarning:
		return "warning"
	case model.SeverityInfo:
		return "note"
	}
	return "none"
}

func ruleRef(id string, idx int) *sarif.ReportingDescriptorReference {
	i := uint(idx)
	return &sarif.ReportingDescriptorReference{Id: &id, Index: &i}
}

// physicalOnly is the file/line part of a finding's location, nil when the
// finding has no file. A line of 0 means unknown: no region is written rather
// than a made-up line 1.
func physicalOnly(f *model.Finding, paths pathMap) *sarif.Location {
	var art *sarif.ArtifactLocation
	if f.File == stdinName {
		// Not a repository file: no uriBaseId.
		u := "stdin"
		art = &sarif.ArtifactLocation{URI: &u}
	} else if p, inside := paths.repo(f.File); p != "" {
		art = artifact(p, inside)
	} else {
		return nil
	}
	pl := &sarif.PhysicalLocation{ArtifactLocation: art}
	if f.Line > 0 {
		line := f.Line
		reg := &sarif.Region{StartLine: &line}
		if f.Column > 0 {
			col := f.Column
			reg.StartColumn = &col
		}
		pl.Region = reg
	}
	return &sarif.Location{PhysicalLocation: pl}
}

// artifact locates a repository path under %SRCROOT%, and a file outside
// the repository (or an absolute path without a known root) by its absolute
// file:// URI, which needs no base.
func artifact(p string, inside bool) *sarif.ArtifactLocation {
	if !inside {
		u := absFileURI(p)
		return &sarif.ArtifactLocation{URI: &u}
	}
	u, base := fileURI(p), srcRoot
	return &sarif.ArtifactLocation{URI: &u, URIBaseId: &base}
}

// sarifLocation adds the object as a logical location.
func sarifLocation(f *model.Finding, paths pathMap) *sarif.Location {
	loc := physicalOnly(f, paths)
	if f.Kind != "" {
		if loc == nil {
			loc = &sarif.Location{}
		}
		kind, fqn := "resource", f.Ref()
		ll := &sarif.LogicalLocation{Kind: &kind, FullyQualifiedName: &fqn}
		if f.Name != "" {
			name := f.Name
			ll.Name = &name
		}
		loc.LogicalLocations = []*sarif.LogicalLocation{ll}
	}
	return loc
}

// relatedLocation points at the chart or overlay that rendered the object.
func relatedLocation(f *model.Finding, paths pathMap) *sarif.Location {
	p, inside := paths.repo(f.Origin)
	if p == "" || p == paths.path(f.File) {
		return nil
	}
	what := "rendered from " + p
	switch f.SourceKind {
	case model.SourceHelm:
		what = "rendered from Helm chart " + p
	case model.SourceKustomize:
		what = "built by Kustomize overlay " + p
	}
	id := uint(1)
	return &sarif.Location{
		Id:               &id,
		PhysicalLocation: &sarif.PhysicalLocation{ArtifactLocation: artifact(strings.TrimSuffix(p, "/")+"/", inside)},
		Message:          sarif.NewTextMessage(what),
	}
}

// findingProps carries the finding's extra facts; empty values are left out
// so no empty property bag is written.
func findingProps(f *model.Finding) sarif.Properties {
	p := sarif.Properties{}
	for k, v := range map[string]string{
		"apiVersion":  f.APIVersion,
		"kind":        f.Kind,
		"namespace":   f.Namespace,
		"name":        f.Name,
		"fieldPath":   f.FieldPath,
		"origin":      f.Origin,
		"remediation": f.Remediation,
		"since":       f.Since,
		"timing":      f.Timing,
		"hop":         f.Hop,
	} {
		if v != "" {
			p[k] = v
		}
	}
	return p
}

// pascal turns a kebab-case rule ID into the identifier-like name SARIF
// recommends (removed-api → RemovedApi).
func pascal(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// semanticVersion returns v as a semantic version. Development builds
// (a commit hash, "(devel)") become 0.0.0-dev with v as build metadata, so
// validators that want a comparable version are satisfied.
func semanticVersion(v string) string {
	if m := semverRE.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	var ids []string
	for _, id := range strings.Split(v, ".") {
		id = strings.Map(func(r rune) rune {
			if r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				return r
			}
			return '-'
		}, id)
		if id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return "0.0.0-dev"
	}
	return "0.0.0-dev+" + strings.Join(ids, ".")
}
