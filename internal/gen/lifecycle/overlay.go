package main

import (
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

// overlayEntry corrects or completes one GVK. Empty fields leave the derived
// value alone; "none" clears it.
type overlayEntry struct {
	GVK         string `yaml:"gvk"`
	Introduced  string `yaml:"introduced"`
	Deprecated  string `yaml:"deprecated"`
	Removed     string `yaml:"removed"`
	Replacement string `yaml:"replacement"`
	Notes       string `yaml:"notes"`
	DefaultOff  *bool  `yaml:"defaultOff"`
	NotServed   *bool  `yaml:"notServed"`
	// Source is the full citation (URL or module@version:path), Cite the
	// short form copied into the output's source field.
	Source string `yaml:"source"`
	Cite   string `yaml:"cite"`
	// Add creates the entry when upstream data lacks the GVK.
	Add bool `yaml:"add"`
}

func readOverlay(path string) ([]overlayEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read overlay: %w", err)
	}
	var doc struct {
		Entries []overlayEntry `yaml:"entries"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	seen := map[string]bool{}
	for i, e := range doc.Entries {
		if e.GVK == "" || e.Source == "" || e.Cite == "" {
			return nil, fmt.Errorf("%s: entry %d (%s): gvk, source and cite are required", path, i+1, e.GVK)
		}
		if seen[e.GVK] {
			return nil, fmt.Errorf("%s: duplicate entry for %s", path, e.GVK)
		}
		seen[e.GVK] = true
	}
	return doc.Entries, nil
}
