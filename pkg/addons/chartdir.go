package addons

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
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
	d, ok, err := m.chartMetadata(root, dir)
	if err != nil {
		return err
	}
	if ok {
		// Listed without objects: say which Chart.yaml it came from.
		d.VersionFrom = d.File + ": " + d.VersionFrom
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

// MergeDetections joins what objects showed (found) with what charts and
// declarations say (declared). A declared detection of an instance already
// found with a version is the same instance again and is dropped; a found
// detection without a version (CRDs or labels only) gives way to a
// declared one with a version.
func MergeDetections(found, declared []Detection) []Detection {
	type inst = [2]string
	have := map[inst]bool{}
	for _, d := range found {
		if d.Origin != "" && d.Semver() != nil {
			have[inst{d.Addon, d.Origin}] = true
		}
	}
	out := append([]Detection(nil), found...)
	versioned := map[inst]bool{}
	same := map[[3]string]bool{}
	for _, d := range declared {
		if d.Origin != "" && have[inst{d.Addon, d.Origin}] {
			continue
		}
		// The same Chart.yaml read twice (as a chart and as a chart
		// directory) is one instance.
		if k := [3]string{d.Addon, d.Origin, d.Version}; d.Origin != "" && d.Version != "" {
			if same[k] {
				continue
			}
			same[k] = true
		}
		if d.Origin != "" && d.Semver() != nil {
			versioned[inst{d.Addon, d.Origin}] = true
		}
		out = append(out, d)
	}
	kept := out[:0]
	for _, d := range out {
		if d.File == "" && d.Semver() == nil && versioned[inst{d.Addon, d.Origin}] {
			continue
		}
		kept = append(kept, d)
	}
	return kept
}
