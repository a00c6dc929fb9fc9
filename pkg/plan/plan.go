// Package plan turns a scan judged at every Kubernetes minor into an upgrade plan:
// what is already broken, what each hop of the control plane needs first
// (removed APIs, chart kubeVersion ceilings, addon bridge versions, stale
// Helm release manifests), node rollout readiness and an evidence
// checklist. It writes nothing; package planreport renders plans.
package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// StaleReleaseRule is the rule ID of stale Helm release findings.
const StaleReleaseRule = "stale-release-api"

// readinessRules find what blocks or hurts rolling node pools; nodes roll
// at every hop, so their findings are listed once, not per hop (and never
// as "already broken": they are hygiene for the rollout, not breakage).
var readinessRules = map[string]bool{
	"pdb-blocks-drain": true, "missing-pdb": true, "local-storage-state": true, "missing-requests": true,
	"missing-memory-limit": true, "missing-priority-class": true, "requests-exceed-limits": true,
}

// addonRules are replaced by the plan's addon steps, which know the whole
// range instead of one target.
var addonRules = map[string]bool{
	"addon-incompatible": true, "addon-untested": true, "addon-version-skew": true,
}

// unjudgedRules mean part of the input could not be judged.
var unjudgedRules = map[string]bool{
	"render-error": true, "parse-error": true, "addon-unknown-version": true, "unknown-schema": true,
}

// Plan is the whole upgrade plan.
type Plan struct {
	Tool           string `json:"-"`
	ToolVersion    string `json:"toolVersion,omitempty"`
	CurrentVersion string `json:"currentVersion"`
	TargetVersion  string `json:"targetVersion"`
	// AlreadyBroken are findings present at the current version: not caused
	// by the upgrade.
	AlreadyBroken []model.Finding `json:"alreadyBroken"`
	// AlreadyBrokenAddons are addons unsupported on the current version.
	AlreadyBrokenAddons []AddonEntry `json:"alreadyBrokenAddons"`
	Hops                []Hop        `json:"hops"`
	// Readiness lists what blocks node pool rollouts (every hop).
	Readiness []model.Finding `json:"nodeReadiness"`
	// RedeployWindows say, for each stale-release-api finding that has
	// one, the minors on which a redeploy refreshes the stored release.
	RedeployWindows []RedeployWindow `json:"redeployWindows"`
	Evidence        Evidence         `json:"evidence"`
	Summary         Summary          `json:"summary"`
	FailOn          model.Severity   `json:"-"`
	ExitCode        int              `json:"-"`
	// Units are the sources rendered or decoded, with their times over
	// every minor (--stats).
	Units []model.Unit `json:"-"`
}

// Hop is one control-plane minor upgrade and what must happen before it.
type Hop struct {
	From     string          `json:"from"`
	To       string          `json:"to"`
	Findings []model.Finding `json:"findings"`
	Addons   []AddonEntry    `json:"addons"`
}

// AddonEntry is one addon action.
type AddonEntry struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	UpgradeTo string `json:"upgradeTo"`
	Reason    string `json:"reason"`
	// Track is set for addons that move with the control plane every hop.
	Track bool `json:"track,omitempty"`
}

// RedeployWindow is the run of minors (From to To, inclusive) on which the
// release of a stale-release-api finding should be redeployed.
type RedeployWindow struct {
	Fingerprint string `json:"fingerprint"`
	From        string `json:"from"`
	To          string `json:"to"`
}

// Evidence is the closing checklist.
type Evidence struct {
	// LifecycleData says which Kubernetes releases the API data covers.
	LifecycleData string `json:"lifecycleData"`
	// Minors are the minors judged.
	Minors []string      `json:"minors"`
	Addons []AddonStatus `json:"addons"`
	// Unjudged are findings that mean part of the input was not judged
	// (render and parse errors, unknown addon versions, unknown schemas),
	// each listed once.
	Unjudged []model.Finding `json:"unjudged"`
	Notices  []string        `json:"notices"`
}

// AddonStatus is one detected addon and the plan's verdict on it.
type AddonStatus struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Verdict string `json:"verdict"`
}

// Summary counts the plan.
type Summary struct {
	Hops          int `json:"hops"`
	AlreadyBroken int `json:"alreadyBroken"`
	HopFindings   int `json:"hopFindings"`
	Errors        int `json:"errors"`
	Warnings      int `json:"warnings"`
	Infos         int `json:"infos"`
	AddonUpgrades int `json:"addonUpgrades"`
	Readiness     int `json:"nodeReadiness"`
	StaleReleases int `json:"staleReleases"`
}

// Input is what Build needs: one report per minor from current to target
// (each from a scan with that minor as target), the addons detected on the
// current version, and the data sources.
type Input struct {
	Current, Target kubeversion.Version
	// Reports[i] is the scan at Current+i.
	Reports    []*model.Report
	Detections []addons.Detection
	Matrix     *addons.Matrix
	Lifecycle  *kubeversion.DB
	// StaleRelease says whether the stale-release-api rule is enabled, and
	// at which severity.
	StaleRelease         bool
	StaleReleaseSeverity model.Severity
	FailOn               model.Severity
	// FailOnExisting makes already-broken findings count for the exit code.
	FailOnExisting bool
	ToolVersion    string
}

// Minors lists current..target inclusive.
func Minors(current, target kubeversion.Version) []kubeversion.Version {
	var out []kubeversion.Version
	for v := current; !target.Less(v); v = v.Next() {
		out = append(out, v)
	}
	return out
}

// Build assembles the plan. It is deterministic for deterministic inputs.
func Build(in Input) (*Plan, error) {
	minors := Minors(in.Current, in.Target)
	if len(in.Reports) != len(minors) {
		return nil, fmt.Errorf("plan: %d reports for %d minors", len(in.Reports), len(minors))
	}
	p := &Plan{
		Tool: "kupgrade-lint", ToolVersion: in.ToolVersion,
		CurrentVersion: in.Current.String(), TargetVersion: in.Target.String(),
		AlreadyBroken: []model.Finding{}, AlreadyBrokenAddons: []AddonEntry{}, Hops: []Hop{},
		Readiness: []model.Finding{}, RedeployWindows: []RedeployWindow{}, FailOn: in.FailOn,
	}
	seen := map[string]bool{}
	readySeen := map[string]bool{}
	unjudgedSeen := map[string]bool{}
	noticeSeen := map[string]bool{}
	p.Evidence.Unjudged = []model.Finding{}
	p.Evidence.Notices = []string{}
	// Minors older than the embedded schemas are not validated: a schema
	// finding first seen at the oldest validated minor is not caused by
	// that hop (a removed field has its own rule, removed-field).
	firstSchema := 0
	for firstSchema < len(minors) && !schema.Supported(minors[firstSchema]) {
		firstSchema++
	}
	movedSchema := 0
	for i, rep := range in.Reports {
		p.Evidence.Minors = append(p.Evidence.Minors, minors[i].String())
		for _, n := range rep.Notices {
			n = minors[i].String() + ": " + n
			if !noticeSeen[n] {
				noticeSeen[n] = true
				p.Evidence.Notices = append(p.Evidence.Notices, n)
			}
		}
		var fresh []model.Finding
		for _, f := range rep.Findings {
			key := sameAcrossMinors(f)
			if unjudgedRules[f.Rule] && !unjudgedSeen[key] {
				unjudgedSeen[key] = true
				p.Evidence.Unjudged = append(p.Evidence.Unjudged, f)
			}
			switch {
			case addonRules[f.Rule], f.Rule == StaleReleaseRule:
				// The plan has its own addon steps and judges stale
				// releases from what every minor renders (stale.go).
				continue
			case readinessRules[f.Rule]:
				if !readySeen[key] {
					readySeen[key] = true
					p.Readiness = append(p.Readiness, f)
				}
				continue
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			f.Timing, f.Hop = "upgrade", ""
			switch {
			case i == 0:
				f.Timing = "current"
			case i == firstSchema && f.Rule == "schema-invalid":
				f.Timing = "current"
				p.AlreadyBroken = append(p.AlreadyBroken, f)
				movedSchema++
				continue
			default:
				f.Hop = hopName(minors[i-1], minors[i])
			}
			fresh = append(fresh, f)
		}
		if i == 0 {
			p.AlreadyBroken = append(p.AlreadyBroken, fresh...)
			continue
		}
		p.Hops = append(p.Hops, Hop{From: minors[i-1].String(), To: minors[i].String(), Findings: fresh, Addons: []AddonEntry{}})
	}
	if movedSchema > 0 {
		p.Evidence.Notices = append(p.Evidence.Notices, fmt.Sprintf("%d schema-invalid finding(s) first seen at %s, the oldest minor with embedded schemas, are listed as already broken: the minors before it were not validated, and fields a hop removes are reported by removed-field", movedSchema, minors[firstSchema]))
	}
	if in.StaleRelease {
		fs, ws := staleReleases(in, minors)
		for _, f := range fs {
			h := &p.Hops[hopIndex(minors, f.Hop)]
			h.Findings = append(h.Findings, f)
			p.Summary.StaleReleases++
		}
		p.RedeployWindows = append(p.RedeployWindows, ws...)
	}
	p.addAddons(in, minors)
	for i := range p.Hops {
		blockersFirst(p.Hops[i].Findings)
		if p.Hops[i].Findings == nil {
			p.Hops[i].Findings = []model.Finding{}
		}
	}
	blockersFirst(p.AlreadyBroken)
	blockersFirst(p.Readiness)
	p.Evidence.LifecycleData = lifecycleText(in.Lifecycle)
	p.summarize(in)
	return p, nil
}

// sameAcrossMinors identifies a finding across the per-minor scans. The
// fingerprint does for most rules; a few rules name the target in their
// message (a chart's kubeVersion excluding it), and those are one problem
// at one place whatever the minor, reported at the first hop only.
func sameAcrossMinors(f model.Finding) string {
	if targetInMessage[f.Rule] {
		return strings.Join([]string{f.Rule, f.File, strconv.Itoa(f.Line), strconv.Itoa(f.Column), f.Origin, f.Ref(), f.FieldPath}, "\x00")
	}
	return f.Fingerprint
}

var targetInMessage = map[string]bool{"chart-kube-version": true, "render-error": true}

func hopName(from, to kubeversion.Version) string { return from.String() + "→" + to.String() }

func hopIndex(minors []kubeversion.Version, hop string) int {
	for i := 1; i < len(minors); i++ {
		if hopName(minors[i-1], minors[i]) == hop {
			return i - 1
		}
	}
	return 0
}

// blockersFirst orders errors before warnings before infos, keeping the
// scan's file/line order inside a severity.
func blockersFirst(fs []model.Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
}

// addAddons plans every detected addon over the range and files each step
// under the hop it must precede.
func (p *Plan) addAddons(in Input, minors []kubeversion.Version) {
	p.Evidence.Addons = []AddonStatus{}
	seenDetection := map[string]bool{}
	for _, d := range in.Detections {
		ev := d.Primary()
		// Declarations outside objects (Chart.yaml, Terraform) carry
		// their own place.
		file, line := d.File, d.Line
		if ev.Object != nil {
			// Where the version was read (the image), as scan reports it.
			file, line, _ = ev.Object.FilePosOf(ev.Path)
			if line == 0 {
				file, line = ev.Object.Source.File, ev.Object.Source.Line
			}
		}
		// One base reached through several overlays is one addon to upgrade.
		dk := strings.Join([]string{d.Addon, d.Version, file, strconv.Itoa(line)}, "\x00")
		if seenDetection[dk] {
			continue
		}
		seenDetection[dk] = true
		st := AddonStatus{Name: d.Addon, Version: d.Version, File: file, Line: line}
		if d.Semver() == nil || in.Matrix == nil {
			st.Verdict = "version unknown: not judged"
			if d.Unknown != "" {
				st.Verdict += " (" + d.Unknown + ")"
			}
			p.Evidence.Addons = append(p.Evidence.Addons, st)
			continue
		}
		steps := in.Matrix.Bridges(d, minors)
		upgrades := 0
		for _, s := range steps {
			e := AddonEntry{Name: d.Addon, Version: s.From, File: file, Line: line, UpgradeTo: s.To, Reason: s.Reason, Track: s.Track}
			idx := -1
			for i, m := range minors {
				if m == s.At {
					idx = i
				}
			}
			if s.To != "" {
				upgrades++
			}
			if s.Now {
				p.AlreadyBrokenAddons = append(p.AlreadyBrokenAddons, e)
				continue
			}
			if idx < 0 || idx >= len(p.Hops) {
				continue
			}
			p.Hops[idx].Addons = append(p.Hops[idx].Addons, e)
		}
		switch {
		case len(steps) > 0 && steps[0].Track:
			st.Verdict = "tracks the control plane: upgrade with every hop"
		case len(steps) == 0 && !in.Matrix.Known(d):
			st.Verdict = "no compatibility data for this version: not judged"
		case len(steps) == 0:
			st.Verdict = "supported at every minor from " + minors[0].String() + " to " + minors[len(minors)-1].String()
		case steps[len(steps)-1].To == "":
			st.Verdict = steps[len(steps)-1].Reason
			if upgrades > 0 {
				st.Verdict = fmt.Sprintf("%d upgrade(s): %s; then %s", upgrades, chain(steps), st.Verdict)
			}
		default:
			st.Verdict = fmt.Sprintf("%d upgrade(s): %s", upgrades, chain(steps))
		}
		p.Evidence.Addons = append(p.Evidence.Addons, st)
	}
	sort.SliceStable(p.Evidence.Addons, func(i, j int) bool {
		a, b := p.Evidence.Addons[i], p.Evidence.Addons[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
}

func chain(steps []addons.Step) string {
	parts := []string{steps[0].From}
	for _, s := range steps {
		if s.To != "" {
			parts = append(parts, fmt.Sprintf("%s (on %s)", s.To, s.At))
		}
	}
	return strings.Join(parts, " → ")
}

func (p *Plan) summarize(in Input) {
	s := &p.Summary
	s.Hops = len(p.Hops)
	s.AlreadyBroken = len(p.AlreadyBroken) + len(p.AlreadyBrokenAddons)
	s.Readiness = len(p.Readiness)
	fail := false
	count := func(f model.Finding) {
		switch f.Severity {
		case model.SeverityError:
			s.Errors++
		case model.SeverityWarning:
			s.Warnings++
		case model.SeverityInfo:
			s.Infos++
		}
		if in.FailOn != model.SeverityNone && f.Severity >= in.FailOn {
			fail = true
		}
	}
	for _, h := range p.Hops {
		s.HopFindings += len(h.Findings)
		for _, f := range h.Findings {
			count(f)
		}
		for _, a := range h.Addons {
			if !a.Track {
				s.AddonUpgrades++
				// An addon that must move before a hop blocks it like an error.
				if in.FailOn != model.SeverityNone {
					fail = true
				}
			}
		}
	}
	for _, f := range p.Readiness {
		if in.FailOn != model.SeverityNone && f.Severity >= in.FailOn {
			fail = true
		}
	}
	for _, f := range p.AlreadyBroken {
		if in.FailOnExisting && in.FailOn != model.SeverityNone && f.Severity >= in.FailOn {
			fail = true
		}
	}
	if in.FailOnExisting && len(p.AlreadyBrokenAddons) > 0 && in.FailOn != model.SeverityNone {
		fail = true
	}
	s.AddonUpgrades += len(p.AlreadyBrokenAddons)
	if fail {
		p.ExitCode = 1
	}
	objects := 0
	for _, r := range in.Reports {
		objects += r.Summary.Objects + r.Summary.Findings
	}
	if objects == 0 {
		p.ExitCode = 2
	}
}

func lifecycleText(db *kubeversion.DB) string {
	if db == nil {
		return ""
	}
	src := ""
	if g, ok := db.Generated()["k8s.io/api"].(string); ok {
		if f := strings.Fields(g); len(f) > 0 {
			src = "; k8s.io/api " + f[len(f)-1]
		}
	}
	return fmt.Sprintf("API lifecycle data covers Kubernetes %s to %s%s", db.Oldest(), db.Newest(), src)
}

func fingerprint(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:8])
}

// Shown returns a copy of p whose finding lists keep only findings at or
// above min (--min-severity); counts and the exit code stay those of the
// whole plan.
func (p *Plan) Shown(min model.Severity) *Plan {
	if min <= model.SeverityInfo {
		return p
	}
	keep := func(fs []model.Finding) []model.Finding {
		out := []model.Finding{}
		for _, f := range fs {
			if f.Severity >= min {
				out = append(out, f)
			}
		}
		return out
	}
	c := *p
	c.AlreadyBroken = keep(p.AlreadyBroken)
	c.Readiness = keep(p.Readiness)
	c.Hops = make([]Hop, len(p.Hops))
	for i, h := range p.Hops {
		h.Findings = keep(h.Findings)
		c.Hops[i] = h
	}
	return &c
}

// WithPaths returns a copy of p whose file paths are mapped by fn (the
// repository-relative paths of --root).
func (p *Plan) WithPaths(fn func(string) string) *Plan {
	c := *p
	findings := func(fs []model.Finding) []model.Finding {
		out := make([]model.Finding, len(fs))
		for i, f := range fs {
			f.File, f.Origin = fn(f.File), mapNonEmpty(fn, f.Origin)
			out[i] = f
		}
		return out
	}
	entries := func(as []AddonEntry) []AddonEntry {
		out := make([]AddonEntry, len(as))
		for i, a := range as {
			a.File = mapNonEmpty(fn, a.File)
			out[i] = a
		}
		return out
	}
	c.AlreadyBroken = findings(p.AlreadyBroken)
	c.AlreadyBrokenAddons = entries(p.AlreadyBrokenAddons)
	c.Readiness = findings(p.Readiness)
	c.Hops = make([]Hop, len(p.Hops))
	for i, h := range p.Hops {
		h.Findings, h.Addons = findings(h.Findings), entries(h.Addons)
		c.Hops[i] = h
	}
	c.Evidence.Unjudged = findings(p.Evidence.Unjudged)
	c.Evidence.Addons = make([]AddonStatus, len(p.Evidence.Addons))
	for i, a := range p.Evidence.Addons {
		a.File = mapNonEmpty(fn, a.File)
		c.Evidence.Addons[i] = a
	}
	return &c
}

func mapNonEmpty(fn func(string) string, s string) string {
	if s == "" {
		return s
	}
	return fn(s)
}
