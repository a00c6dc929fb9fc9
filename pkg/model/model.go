// Package model holds the data that flows through a scan: decoded objects
// with their source positions, findings, and rule metadata. It depends on
// nothing but the standard library and yaml.v3 so every other package can
// share it.
package model

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Severity orders findings; higher is worse.
type Severity int

const (
	SeverityNone Severity = iota
	SeverityInfo
	SeverityWarning
	SeverityError
)

func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return "none"
}

// ParseSeverity accepts error, warning, info and none (case-insensitive).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return SeverityError, nil
	case "warning", "warn":
		return SeverityWarning, nil
	case "info":
		return SeverityInfo, nil
	case "none", "off":
		return SeverityNone, nil
	}
	return SeverityNone, fmt.Errorf("unknown severity %q (want error, warning, info or none)", s)
}

// MarshalText makes severities read as words in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText is the inverse of MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// SourceKind says how an object reached the scan.
type SourceKind string

const (
	SourcePlain     SourceKind = "file"
	SourceHelm      SourceKind = "helm"
	SourceKustomize SourceKind = "kustomize"
	SourceStdin     SourceKind = "stdin"
)

// Source is where an object came from. File is the path a user can open
// (relative to the working directory, slash-separated); for rendered objects it
// is the template or base file, and Origin names the chart or overlay.
type Source struct {
	Kind SourceKind `json:"kind"`
	// File is the repository file the object is reported at.
	File string `json:"file"`
	// Line and Col are where the object's document starts in File (1-based);
	// 0 when unknown (never invented).
	Line int `json:"line"`
	Col  int `json:"column"`
	// APIVersionLine is the line of the apiVersion key, 0 when unknown.
	APIVersionLine int `json:"apiVersionLine,omitempty"`
	// Doc is the 0-based index of the YAML document inside File.
	Doc int `json:"doc"`
	// Origin is the chart directory or kustomization directory that rendered
	// the object; empty for plain files.
	Origin string `json:"origin,omitempty"`
	// Values lists the values files used to render a chart.
	Values []string `json:"values,omitempty"`
	// Exact reports whether lines of Node are lines of File (after adding
	// LineOffset). It is true for plain files and for rendered objects whose
	// text was found unchanged in their source file; otherwise every position
	// inside the object falls back to Line.
	Exact bool `json:"exact"`
	// LineOffset is added to Node's lines to get lines of File.
	LineOffset int `json:"-"`
}

// Unit is one thing that was scanned as a whole: a plain file, a chart or an
// overlay. Reports use it to group objects (JUnit test suites, stats).
type Unit struct {
	Kind SourceKind `json:"kind"`
	// Path is the file, chart directory or overlay directory.
	Path string `json:"path"`
	// Objects counts decoded objects.
	Objects int `json:"objects"`
	// DurationMS is how long rendering/decoding took; reports only print it
	// when asked, so output stays deterministic.
	DurationMS float64 `json:"-"`
}

// Object is one decoded Kubernetes object.
type Object struct {
	APIVersion string
	Kind       string
	Namespace  string // as written; empty means the default namespace
	Name       string
	// DefaultNamespace is the namespace a namespaced object without
	// metadata.namespace lands in ("default", or the render namespace).
	DefaultNamespace string
	Source           Source
	// Node is the document's root mapping node; positions inside the object
	// come from it. Rendered objects carry the rendered document's node.
	Node *yaml.Node
	// Pos replaces Node in pruned copies (Prune): positions of the kept
	// fields only.
	Pos *PosTable
	// Facts are what the whole-set rules extracted from a compact copy
	// (Compact) instead of keeping its Data; nil for whole objects. The
	// rules package owns their types.
	Facts any
	// Data is the decoded object (JSON-compatible maps, slices and scalars).
	Data map[string]any
	// Annotations that the renderer removed before rules run (e.g. origin).
	Extra map[string]string
	// Locator finds fields in Source.File when the object's own lines are
	// not lines of that file (Helm templates); nil when unavailable.
	Locator Locator
}

// Locator maps a field path of an object to a line and column of its source
// file; 0 when it cannot tell.
type Locator interface {
	Locate(path string) (line, col int)
}

// FileLocator is a Locator that can also place a field in another file than
// Source.File (a Kustomize patch that set it). file is "" for Source.File.
type FileLocator interface {
	LocateFile(path string) (file string, line, col int)
}

// Group returns the API group ("" for core).
func (o *Object) Group() string {
	if i := strings.IndexByte(o.APIVersion, '/'); i >= 0 {
		return o.APIVersion[:i]
	}
	return ""
}

// Version returns the API version without the group.
func (o *Object) Version() string {
	if i := strings.IndexByte(o.APIVersion, '/'); i >= 0 {
		return o.APIVersion[i+1:]
	}
	return o.APIVersion
}

// EffectiveNamespace is metadata.namespace, else DefaultNamespace, else "default".
func (o *Object) EffectiveNamespace() string {
	if o.Namespace != "" {
		return o.Namespace
	}
	if o.DefaultNamespace != "" {
		return o.DefaultNamespace
	}
	return "default"
}

// Ref names the object as kind/namespace/name (namespace omitted when unset).
func (o *Object) Ref() string {
	if o.Namespace == "" {
		return o.Kind + "/" + o.Name
	}
	return o.Kind + "/" + o.Namespace + "/" + o.Name
}

// Labels returns metadata.labels.
func (o *Object) Labels() map[string]string { return o.stringMap("labels") }

// Annotations returns metadata.annotations.
func (o *Object) Annotations() map[string]string { return o.stringMap("annotations") }

func (o *Object) stringMap(key string) map[string]string {
	md, _ := o.Data["metadata"].(map[string]any)
	m, _ := md[key].(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		switch s := v.(type) {
		case string:
			out[k] = s
		case nil:
			out[k] = ""
		default:
			out[k] = fmt.Sprint(s)
		}
	}
	return out
}

// Finding is one problem, located.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`

	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name,omitempty"`

	// FieldPath is a dotted path into the object (spec.template.spec...).
	FieldPath string `json:"fieldPath,omitempty"`
	// Origin is the chart or overlay that rendered the object, if any.
	Origin     string     `json:"origin,omitempty"`
	SourceKind SourceKind `json:"sourceKind,omitempty"`
	// Remediation says what to change, when the rule knows.
	Remediation string `json:"remediation,omitempty"`
	// Since is the Kubernetes release the problem starts at ("1.25").
	Since string `json:"since,omitempty"`
	// Timing is set when --current-version is given: "current" if the problem
	// already exists on the current version, "upgrade" if it appears during
	// the upgrade; Hop is the first minor where it appears.
	Timing string `json:"timing,omitempty"`
	Hop    string `json:"hop,omitempty"`
	// Fingerprint is stable across runs and line moves.
	Fingerprint string `json:"fingerprint"`
}

// Ref names the finding's object as kind/namespace/name.
func (f *Finding) Ref() string {
	if f.Kind == "" {
		return ""
	}
	if f.Namespace == "" {
		return f.Kind + "/" + f.Name
	}
	return f.Kind + "/" + f.Namespace + "/" + f.Name
}

// RuleInfo is the metadata of a rule as reports need it.
type RuleInfo struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    Severity `json:"severity"`
	Summary     string   `json:"summary"`
	Doc         string   `json:"doc"`
	Remediation string   `json:"remediation"`
	HelpURI     string   `json:"helpUri"`
	Tags        []string `json:"tags,omitempty"`
	Enabled     bool     `json:"enabled"`
}

// Summary counts findings.
type Summary struct {
	Objects    int `json:"objects"`
	Files      int `json:"files"`
	Findings   int `json:"findings"`
	Errors     int `json:"errors"`
	Warnings   int `json:"warnings"`
	Infos      int `json:"infos"`
	Suppressed int `json:"suppressed"`
	Baselined  int `json:"baselined"`
}

// Report is the complete result of a scan; every writer renders it.
type Report struct {
	Tool           string     `json:"-"`
	ToolVersion    string     `json:"-"`
	TargetVersion  string     `json:"targetVersion"`
	CurrentVersion string     `json:"currentVersion,omitempty"`
	FailOn         Severity   `json:"-"`
	Findings       []Finding  `json:"findings"`
	Summary        Summary    `json:"summary"`
	Rules          []RuleInfo `json:"-"`
	Units          []Unit     `json:"-"`
	// Objects lists every scanned object in a stable order (file, line).
	Objects []ObjectRef `json:"-"`
	// ExitCode is what the CLI will exit with (set before writing SARIF).
	ExitCode int `json:"-"`
	// Notices say what the scan could not do (e.g. no schemas for an old
	// target); writers show them so a partial check is never mistaken for a
	// full one.
	Notices []string `json:"notices,omitempty"`
}

// Problem is an input that could not be decoded or rendered. Renderers return
// problems as data; the parse-error and render-error rules turn them into
// findings so config and reports treat them like any other finding.
type Problem struct {
	// Rule is "parse-error" or "render-error" (or another input rule).
	Rule    string
	File    string
	Line    int
	Column  int
	Message string
	// Origin is the chart or overlay being rendered, if any.
	Origin string
	Kind   SourceKind
	// Detail is extra context for fingerprints (e.g. the remote reference).
	Detail string
}

// ObjectRef identifies one scanned object for reports that list every object,
// not only those with findings (JUnit test cases).
type ObjectRef struct {
	APIVersion string     `json:"apiVersion"`
	Kind       string     `json:"kind"`
	Namespace  string     `json:"namespace,omitempty"`
	Name       string     `json:"name"`
	File       string     `json:"file"`
	Line       int        `json:"line,omitempty"`
	Origin     string     `json:"origin,omitempty"`
	SourceKind SourceKind `json:"sourceKind,omitempty"`
}

// Ref names the object as kind/namespace/name (namespace omitted when unset).
func (r *ObjectRef) Ref() string {
	if r.Namespace == "" {
		return r.Kind + "/" + r.Name
	}
	return r.Kind + "/" + r.Namespace + "/" + r.Name
}

// ObjectRef returns the reference reports use for o.
func (o *Object) ObjectRef() ObjectRef {
	return ObjectRef{
		APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name,
		File: o.Source.File, Line: o.Source.Line, Origin: o.Source.Origin, SourceKind: o.Source.Kind,
	}
}
