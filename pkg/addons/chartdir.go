package addons

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
)

// DetectChartDir detects the addons a chart directory installs from its
// Chart.yaml and the Chart.yaml of every dependency vendored under charts/
// (packed .tgz dependencies are not opened). Detections carry no evidence
// objects; VersionFrom names the Chart.yaml read.
func (m *Matrix) DetectChartDir(dir string) ([]Detection, error) {
	var out []Detection
	if err := m.detectChartDir(dir, dir, &out, 0); err != nil {
		return nil, err
	}
	return out, nil
}

func (m *Matrix) detectChartDir(root, dir string, out *[]Detection, depth int) error {
	if depth > 8 {
		return nil // dependency chains this deep are not real charts
	}
	file := filepath.Join(dir, "Chart.yaml")
	// Only regular files inside the chart: a Chart.yaml that is a symlink
	// to /dev/zero must not hang the command.
	b, err := safefs.ReadIn(root, file, 1<<20)
	if err != nil {
		return fmt.Errorf("chart metadata %s: %w", file, err)
	}
	var c struct {
		Name       string `yaml:"name"`
		Version    string `yaml:"version"`
		AppVersion string `yaml:"appVersion"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if d, ok := m.DetectChart(c.Name, c.Version, c.AppVersion); ok {
		d.Origin = dir
		d.VersionFrom = filepath.ToSlash(file) + ": " + d.VersionFrom
		*out = append(*out, d)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "charts"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("chart dependencies: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		sub := filepath.Join(dir, "charts", e.Name())
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(sub, "Chart.yaml")); err != nil {
			continue
		}
		if err := m.detectChartDir(root, sub, out, depth+1); err != nil {
			return err
		}
	}
	return nil
}
