// Package config reads .kupgrade-lint.yaml, the per-repository settings file.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
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
			return fmt.Errorf("line %d: rule setting %q: want off, on or a severity", n.Line, n.Value)
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

// ChartConfig is how one chart is rendered.
type ChartConfig struct {
	Values      []string          `yaml:"values"`
	Set         map[string]string `yaml:"set"`
	SetString   map[string]string `yaml:"setString"`
	ReleaseName string            `yaml:"releaseName"`
	Namespace   string            `yaml:"namespace"`
}

// Load reads a config file. Unknown keys are errors, so typos do not
// silently disable settings.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	for id, rc := range c.Rules {
		if rc.Severity != "" {
			if _, err := model.ParseSeverity(rc.Severity); err != nil {
				return nil, fmt.Errorf("config %s: rule %s: %w", path, id, err)
			}
		}
	}
	c.Path = path
	// Relative paths in the file are relative to the file.
	dir := filepath.Dir(path)
	c.Values = resolve(dir, c.Values)
	c.Addons = resolve(dir, c.Addons)
	charts := make(map[string]ChartConfig, len(c.Charts))
	for k, cc := range c.Charts {
		cc.Values = resolve(dir, cc.Values)
		charts[resolve(dir, []string{k})[0]] = cc
	}
	c.Charts = charts
	if c.Baseline != "" && !filepath.IsAbs(c.Baseline) {
		c.Baseline = filepath.Join(dir, c.Baseline)
	}
	return c, nil
}

func resolve(dir string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		if filepath.IsAbs(p) || dir == "." {
			out[i] = p
		} else {
			out[i] = filepath.Join(dir, p)
		}
	}
	return out
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
