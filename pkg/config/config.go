// Package config reads .kupgrade-lint.yaml, the per-repository settings file.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
)

// FileName is the config file looked up in the working directory and its
// parents.
const FileName = ".kupgrade-lint.yaml"

// Config is the content of .kupgrade-lint.yaml. Every field is optional;
// command-line flags win over the file.
type Config struct {
	// TargetVersion is the Kubernetes version being upgraded to.
	TargetVersion string `yaml:"targetVersion"`
	// CurrentVersion is the version running today.
	CurrentVersion string `yaml:"currentVersion"`
	// FailOn is error, warning, info or none.
	FailOn string `yaml:"failOn"`
	// Exclude lists doublestar globs of paths not to scan.
	Exclude []string `yaml:"exclude"`
	// Rules enables, disables or re-grades rules by ID.
	Rules map[string]RuleConfig `yaml:"rules"`
	// MaxFileSize in bytes; larger files are reported, not read.
	MaxFileSize int64 `yaml:"maxFileSize"`
	// Values and Set apply to every chart (like --values and --set).
	Values []string          `yaml:"values"`
	Set    map[string]string `yaml:"set"`
	// Charts holds per-chart render settings keyed by chart path.
	Charts map[string]ChartConfig `yaml:"charts"`
	// SchemaLocations adds schema locations (kubeconform template syntax).
	SchemaLocations []string `yaml:"schemaLocations"`
	// Addons lists addon matrix files merged over the built-in data.
	Addons []string `yaml:"addons"`
	// Baseline is a baseline file; findings recorded there are not reported.
	Baseline string `yaml:"baseline"`

	// Problems are entries refused because they would read outside the
	// repository or fetch something; the scan reports them as findings.
	Problems []model.Problem `yaml:"-"`

	// Path is where the config was read from ("" when none).
	Path string `yaml:"-"`
}

// RuleConfig overrides one rule.
type RuleConfig struct {
	// Enabled turns a rule on or off; nil keeps its default.
	Enabled *bool `yaml:"enabled"`
	// Severity replaces the rule's default severity.
	Severity string `yaml:"severity"`
}

// UnmarshalYAML also accepts the shorthand forms `rule: off`, `rule: false`
// and `rule: warning`.
func (r *RuleConfig) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case "off", "false", "disabled":
			f := false
			r.Enabled = &f
			return nil
		case "on", "true", "enabled":
			t := true
			r.Enabled = &t
			return nil
		}
		if _, err := model.ParseSeverity(n.Value); err != nil {
			return &lineError{n.Line, fmt.Sprintf("rule setting %q: want off, on or a severity (error, warning, info)", n.Value)}
		}
		r.Severity = n.Value
		return nil
	}
	type plain RuleConfig
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*r = RuleConfig(p)
	return nil
}

// lineError is a config mistake at a known line.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// ChartConfig is how one chart is rendered.
type ChartConfig struct {
	Values      []string          `yaml:"values"`
	Set         map[string]string `yaml:"set"`
	SetString   map[string]string `yaml:"setString"`
	ReleaseName string            `yaml:"releaseName"`
	Namespace   string            `yaml:"namespace"`
}

// MaxReferencedFileSize caps every file the config names (values files,
// addon matrices, the baseline): they come from the repository being scanned.
const MaxReferencedFileSize = 16 << 20

// maxConfigSize caps the config file itself.
const maxConfigSize = 1 << 20

// Load reads a config file. Unknown keys are errors, so typos do not
// silently disable settings. The file usually comes from the repository
// being scanned (a pull request can change it), so every path in it must
// stay inside the file's own directory, and it cannot turn on network access.
func Load(path string) (*Config, error) {
	// A config that is a symlink out of its directory is refused: its
	// parse errors would quote the target (say /etc/shadow) on stderr.
	b, err := safefs.ReadIn(filepath.Dir(path), path, maxConfigSize)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		var le *lineError
		if errors.As(err, &le) {
			return nil, fmt.Errorf("config %s:%d: %s", path, le.line, le.msg)
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	// A second, untyped parse gives the line of each key for messages.
	var doc yaml.Node
	_ = yaml.Unmarshal(b, &doc)
	l := &loader{file: path, dir: filepath.Dir(path), doc: &doc}
	if err := l.check(c); err != nil {
		return nil, err
	}
	c.Path = path
	return c, nil
}

type loader struct {
	file     string
	dir      string // the config file's directory, as given
	resolved string // dir, absolute with symlinks resolved
	doc      *yaml.Node
	errs     []error
	// refused are entries that would read outside the repository or fetch
	// something: they are dropped and reported as findings, so the scan
	// still covers everything else (a pull request cannot turn the scan off
	// by adding one).
	refused []model.Problem
}

// refuse drops an entry the config may not have, as a located problem.
func (l *loader) refuse(line int, key, format string, args ...any) {
	l.refused = append(l.refused, model.Problem{
		Rule: "parse-error", File: filepath.ToSlash(l.file), Line: line, Kind: model.SourcePlain, Detail: "config " + key,
		Message: fmt.Sprintf("config %s: %s; the entry is ignored", key, fmt.Sprintf(format, args...)),
	})
}

// fail records an error naming the config file, the line and the key.
func (l *loader) fail(line int, key, format string, args ...any) {
	loc := l.file
	if line > 0 {
		loc = fmt.Sprintf("%s:%d", l.file, line)
	}
	l.errs = append(l.errs, fmt.Errorf("config %s: %s: %s", loc, key, fmt.Sprintf(format, args...)))
}

// line finds the line of the value at a key path (strings index mappings,
// ints index sequences); 0 when it is not there.
func (l *loader) line(path ...any) int {
	n := l.doc
	if n == nil || n.Kind != yaml.DocumentNode || len(n.Content) == 0 {
		return 0
	}
	n = n.Content[0]
	for _, p := range path {
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return n.Line
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					next = n.Content[i+1]
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = n.Content[k]
			}
		}
		if next == nil {
			return n.Line
		}
		n = next
	}
	return n.Line
}

func (l *loader) check(c *Config) error {
	if abs, err := filepath.Abs(l.dir); err == nil {
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			l.resolved = r
		}
	}
	if c.TargetVersion != "" {
		if v, err := kubeversion.Parse(c.TargetVersion); err != nil {
			l.fail(l.line("targetVersion"), "targetVersion", "%v", err)
		} else if err := kubeversion.Default().CheckTarget(v); err != nil {
			l.fail(l.line("targetVersion"), "targetVersion", "%v", err)
		}
	}
	if c.CurrentVersion != "" {
		if v, err := kubeversion.Parse(c.CurrentVersion); err != nil {
			l.fail(l.line("currentVersion"), "currentVersion", "%v", err)
		} else if err := kubeversion.Default().CheckTarget(v); err != nil {
			l.fail(l.line("currentVersion"), "currentVersion", "%v", err)
		}
	}
	if c.FailOn != "" {
		if _, err := model.ParseSeverity(c.FailOn); err != nil {
			l.fail(l.line("failOn"), "failOn", "%v", err)
		}
	}
	for i, g := range c.Exclude {
		if !doublestar.ValidatePattern(g) {
			l.fail(l.line("exclude", i), fmt.Sprintf("exclude[%d]", i), "%q is not a valid glob pattern", g)
		}
	}
	if c.MaxFileSize < 0 {
		l.fail(l.line("maxFileSize"), "maxFileSize", "must not be negative (0 keeps the default)")
	}
	for _, id := range sortedKeys(c.Rules) {
		if rc := c.Rules[id]; rc.Severity != "" {
			if _, err := model.ParseSeverity(rc.Severity); err != nil {
				l.fail(l.line("rules", id), "rules."+id, "%v", err)
			}
		}
	}
	for i, p := range c.Values {
		c.Values[i] = l.refFile(p, l.line("values", i), fmt.Sprintf("values[%d]", i), "--values")
	}
	c.Values = dropEmpty(c.Values)
	for i, p := range c.Addons {
		c.Addons[i] = l.refFile(p, l.line("addons", i), fmt.Sprintf("addons[%d]", i), "--addon-matrix")
	}
	c.Addons = dropEmpty(c.Addons)
	if c.Baseline != "" {
		c.Baseline = l.refFile(c.Baseline, l.line("baseline"), "baseline", "--baseline")
	}
	charts := make(map[string]ChartConfig, len(c.Charts))
	for _, k := range sortedKeys(c.Charts) {
		cc := c.Charts[k]
		vals := make([]string, len(cc.Values))
		for i, p := range cc.Values {
			vals[i] = l.refFile(p, l.line("charts", k, "values", i), fmt.Sprintf("charts.%s.values[%d]", k, i), "--values")
		}
		cc.Values = dropEmpty(vals)
		// Chart keys name charts to match, they are never read; one that
		// names no chart is a typo that would silently drop its settings.
		if !isChart(l.join(k)) {
			l.fail(l.line("charts", k), "charts."+k, "%q is not a chart (a directory with Chart.yaml, or a packaged .tgz); its settings would apply to nothing", k)
		}
		charts[l.join(k)] = cc
	}
	c.Charts = charts
	for i, loc := range c.SchemaLocations {
		c.SchemaLocations[i] = l.schemaLocation(loc, l.line("schemaLocations", i), fmt.Sprintf("schemaLocations[%d]", i))
	}
	c.SchemaLocations = dropEmpty(c.SchemaLocations)
	c.Problems = l.refused
	return errors.Join(l.errs...)
}

// isChart reports whether p is a chart directory or a packaged chart; it
// only looks at file types, never reads.
func isChart(p string) bool {
	if st, err := os.Stat(filepath.Join(p, "Chart.yaml")); err == nil && st.Mode().IsRegular() {
		return true
	}
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && strings.HasSuffix(strings.ToLower(p), ".tgz")
}

// dropEmpty removes refused entries.
func dropEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (l *loader) join(p string) string {
	if filepath.IsAbs(p) || l.dir == "." {
		return p
	}
	return filepath.Join(l.dir, p)
}

// inside checks that p (relative to the config file) stays inside the config
// file's directory, lexically and after symlinks. It returns the path joined
// to the config's directory, and the resolved path when it exists.
func (l *loader) inside(p string, line int, key, flag string) (joined, resolved string, ok bool) {
	if p == "" {
		l.fail(line, key, "empty path")
		return "", "", false
	}
	if filepath.IsAbs(p) || strings.HasPrefix(p, "~") {
		l.refuse(line, key, "%q is an absolute path; paths in a config file must stay inside the config file's directory (use %s on the command line for files elsewhere)", p, flag)
		return "", "", false
	}
	if rel := filepath.Clean(p); rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		l.refuse(line, key, "%q leaves the config file's directory; paths in a config file must stay inside it (use %s on the command line for files elsewhere)", p, flag)
		return "", "", false
	}
	joined = l.join(p)
	abs, err := filepath.Abs(joined)
	if err != nil {
		l.fail(line, key, "%q: %v", p, err)
		return "", "", false
	}
	r, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return joined, "", true
		}
		l.fail(line, key, "%q: %v", p, err)
		return "", "", false
	}
	if l.resolved == "" || !safefs.Within(l.resolved, r) {
		l.refuse(line, key, "%q is a symlink that resolves outside the config file's directory; paths in a config file must stay inside it (use %s on the command line for files elsewhere)", p, flag)
		return "", "", false
	}
	return joined, r, true
}

// refFile validates a file the config names: inside the config's directory,
// a regular file, at most MaxReferencedFileSize bytes.
func (l *loader) refFile(p string, line int, key, flag string) string {
	joined, resolved, ok := l.inside(p, line, key, flag)
	if !ok {
		return ""
	}
	if resolved == "" {
		l.fail(line, key, "%q does not exist", p)
		return p
	}
	st, err := os.Stat(resolved)
	switch {
	case err != nil:
		l.fail(line, key, "%q: %v", p, err)
	case !st.Mode().IsRegular():
		l.refuse(line, key, "%q is not a regular file", p)
		return ""
	case st.Size() > MaxReferencedFileSize:
		l.refuse(line, key, "%q is %d bytes, over the %d-byte limit for files named in a config file", p, st.Size(), MaxReferencedFileSize)
		return ""
	}
	return joined
}

// schemaLocation allows only local locations inside the config's directory.
// Remote ones would let a pull request make the scan fetch URLs: only
// --schema-location can name those. Template actions are limited to the
// documented variables, so expansion cannot compute a path elsewhere.
func (l *loader) schemaLocation(loc string, line int, key string) string {
	low := strings.ToLower(strings.TrimSpace(loc))
	if strings.Contains(low, "://") {
		l.refuse(line, key, "%q is a URL: a config file cannot make the scan fetch anything; give remote schema locations with --schema-location on the command line", loc)
		return ""
	}
	literal, err := templateLiteral(loc)
	if err != nil {
		l.fail(line, key, "%q: %v", loc, err)
		return loc
	}
	for _, seg := range strings.FieldsFunc(literal, func(r rune) bool { return r == '/' || r == '\\' }) {
		if seg == ".." {
			l.refuse(line, key, "%q contains \"..\"; schema locations in a config file must stay inside the config file's directory (use --schema-location for others)", loc)
			return ""
		}
	}
	// The part before the first variable must exist inside the directory
	// once symlinks are resolved (or not exist yet).
	prefix := loc
	if i := strings.Index(loc, "{{"); i >= 0 {
		prefix = loc[:i]
	}
	if strings.TrimSpace(prefix) == "" {
		prefix = "."
	}
	if _, _, ok := l.inside(filepath.Dir(filepath.Join(prefix, "x")), line, key, "--schema-location"); !ok {
		return ""
	}
	return l.join(loc)
}

var templateVar = regexp.MustCompile(`{{-?\s*\.(NormalizedKubernetesVersion|StrictSuffix|ResourceKind|ResourceAPIVersion|Group|KindSuffix)\s*-?}}`)

// templateLiteral removes the known variables from a location and fails on
// any other template action.
func templateLiteral(loc string) (string, error) {
	lit := templateVar.ReplaceAllString(loc, "x")
	if strings.Contains(lit, "{{") || strings.Contains(lit, "}}") {
		return "", errors.New("only the variables {{ .NormalizedKubernetesVersion }}, {{ .StrictSuffix }}, {{ .ResourceKind }}, {{ .ResourceAPIVersion }}, {{ .Group }} and {{ .KindSuffix }} may be used in a config file")
	}
	return lit, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Find looks for FileName in dir and its parents; "" when there is none.
func Find(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(abs, FileName)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			if rel, err := filepath.Rel(mustWd(), p); err == nil {
				return rel
			}
			return p
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return ""
		}
		abs = parent
	}
}

func mustWd() string {
	wd, _ := os.Getwd()
	return wd
}
