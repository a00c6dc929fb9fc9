// Package rules holds kupgrade-lint's checks. A Rule is a small value (ID,
// metadata, the kinds it looks at, a Check function). Rules never read files
// or print: they see decoded objects through a Pass and Report diagnostics.
package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// DocsBase is where rule reference pages are published.
const DocsBase = "https://github.com/kupgrade-lint/kupgrade-lint/blob/main/docs/rules/"

// Rule is one check.
type Rule struct {
	// ID is kebab-case and a public contract (config, annotations, SARIF).
	ID string
	// Title is a short lowercase-first phrase, at most 60 characters, no period.
	Title string
	// Severity is the default severity.
	Severity model.Severity
	// Summary is one sentence for `kupgrade-lint rules`.
	Summary string
	// Doc explains what the rule checks and why it matters for an upgrade
	// (markdown).
	Doc string
	// Remediation says how to fix a finding (full sentences, ends with a period).
	Remediation string
	// Tags group rules in SARIF and docs.
	Tags []string
	// Kinds restricts Check to objects of these kinds; empty means every
	// object. A global rule (Global true) sees the whole set regardless.
	Kinds []string
	// Global rules look at the whole object set once instead of per object.
	Global bool
	// Scanwide per-object rules read other objects too (p.Objects, e.g. the
	// LimitRanges of the namespace): a streaming scan runs them after every
	// unit is decoded, on the compact copies Retain keeps.
	Scanwide bool
	// DefaultOff rules run only when enabled in the config.
	DefaultOff bool
	// Check is called once per matching object (p.Object set) or, for global
	// rules, once per scan (p.Object nil).
	Check func(p *Pass)
}

// HelpURI is the rule's documentation page.
func (r *Rule) HelpURI() string { return DocsBase + r.ID + ".md" }

// Info converts the metadata for reports.
func (r *Rule) Info() model.RuleInfo {
	return model.RuleInfo{
		ID: r.ID, Title: r.Title, Severity: r.Severity, Summary: r.Summary,
		Doc: r.Doc, Remediation: r.Remediation, HelpURI: r.HelpURI(),
		Tags: r.Tags, Enabled: !r.DefaultOff,
	}
}

// Diagnostic is what a rule reports.
type Diagnostic struct {
	// Object is the object the finding is about (nil for scan-wide findings,
	// which then need File/Line).
	Object *model.Object
	// Path is a field path inside Object used for the location and the
	// fingerprint.
	Path    string
	Message string
	// Since is the release the problem starts at, if the rule knows.
	Since kubeversion.Version
	// Remediation overrides the rule's generic remediation.
	Remediation string
	// Severity overrides the rule's severity (SeverityNone: keep it).
	Severity model.Severity
	// File/Line/Column locate findings without an object (render errors).
	File   string
	Line   int
	Column int
	// Key distinguishes several findings of one rule on one path in the
	// fingerprint (e.g. the container name).
	Key string
}

// Pass is everything a rule can see and do.
type Pass struct {
	// Target is the Kubernetes version being upgraded to.
	Target kubeversion.Version
	// Current is the version running today (zero when not given).
	Current kubeversion.Version
	// Object is the object being checked (nil for global rules).
	Object *model.Object
	// Objects is the whole object set of the scan, in a stable order.
	Objects []*model.Object
	// Lifecycle is the API lifecycle database.
	Lifecycle *kubeversion.DB
	// Inputs are the scan-wide inputs of data-driven rules.
	Inputs

	rule   *Rule
	report func(*Rule, Diagnostic)
	shared *Shared
	// schemaMemo shares the object's validations across the versions a
	// scan judges it at (CheckEach).
	schemaMemo schema.Memo
}

// Report records a diagnostic for the current rule.
func (p *Pass) Report(d Diagnostic) {
	if d.Object == nil && d.File == "" {
		d.Object = p.Object
	}
	p.report(p.rule, d)
}

// Reportf reports msg about the pass's object at path.
func (p *Pass) Reportf(path, format string, args ...any) {
	p.Report(Diagnostic{Object: p.Object, Path: path, Message: fmt.Sprintf(format, args...)})
}

// Shared returns a value computed once per scan and shared by every rule
// (indexes of workloads, selectors, ...). Keyed by name.
func (p *Pass) Shared(key string, build func() any) any { return p.shared.get(key, build) }

// Shared is a per-scan memo of indexes built by rules.
type Shared struct {
	mu sync.Mutex
	m  map[string]*sharedEntry
}

type sharedEntry struct {
	once sync.Once
	v    any
}

func (s *Shared) get(key string, build func() any) any {
	s.mu.Lock()
	if s.m == nil {
		s.m = map[string]*sharedEntry{}
	}
	e, ok := s.m[key]
	if !ok {
		e = &sharedEntry{}
		s.m[key] = e
	}
	s.mu.Unlock()
	e.once.Do(func() { e.v = build() })
	return e.v
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate checks a rule's metadata, like analysis.Validate.
func Validate(rs []*Rule) error {
	seen := map[string]bool{}
	for _, r := range rs {
		switch {
		case !idRE.MatchString(r.ID):
			return fmt.Errorf("rule %q: ID must be kebab-case", r.ID)
		case seen[r.ID]:
			return fmt.Errorf("rule %q: duplicate ID", r.ID)
		case r.Title == "" || len(r.Title) > 60 || strings.HasSuffix(r.Title, "."):
			return fmt.Errorf("rule %q: Title must be 1-60 characters without a final period", r.ID)
		case r.Summary == "" || !strings.HasSuffix(r.Summary, "."):
			return fmt.Errorf("rule %q: Summary must be a sentence ending in a period", r.ID)
		case r.Doc == "":
			return fmt.Errorf("rule %q: Doc is empty", r.ID)
		case r.Remediation == "" || !strings.HasSuffix(strings.TrimSpace(r.Remediation), "."):
			return fmt.Errorf("rule %q: Remediation must be full sentences ending in a period", r.ID)
		case r.Severity < model.SeverityInfo || r.Severity > model.SeverityError:
			return fmt.Errorf("rule %q: invalid default severity", r.ID)
		case r.Check == nil:
			return fmt.Errorf("rule %q: Check is nil", r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}
