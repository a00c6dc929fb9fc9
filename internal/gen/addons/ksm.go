package main

import (
	"fmt"
	"regexp"
	"strings"
)

// kube-state-metrics module versions whose README "Compatibility matrix" is
// read, newest first: a row comes from the newest README that lists it. The
// v1 module carries the 1.x table; v2.0-v2.6 READMEs have a per-Kubernetes
// grid, later ones the client-go version each release is built with.
var ksmVersions = []struct{ module, version string }{
	{"k8s.io/kube-state-metrics/v2", "v2.20.0"},
	{"k8s.io/kube-state-metrics/v2", "v2.18.0"},
	{"k8s.io/kube-state-metrics/v2", "v2.15.0"},
	{"k8s.io/kube-state-metrics/v2", "v2.13.0"},
	{"k8s.io/kube-state-metrics/v2", "v2.10.1"},
	{"k8s.io/kube-state-metrics/v2", "v2.8.2"},
	{"k8s.io/kube-state-metrics/v2", "v2.6.0"},
	{"k8s.io/kube-state-metrics/v2", "v2.5.0"},
	{"k8s.io/kube-state-metrics/v2", "v2.4.2"},
	{"k8s.io/kube-state-metrics/v2", "v2.2.4"},
	{"k8s.io/kube-state-metrics", "v1.9.8"},
}

// ksmRow is one release line of the README's compatibility matrix.
type ksmRow struct {
	version string   // "2.5.0"
	k8s     []string // minors marked ✓ (grid) or the client-go minor
	grid    bool     // from the per-Kubernetes grid, not the client-go table
}

var ksmVersionRE = regexp.MustCompile(`^\*\*v([0-9]+\.[0-9]+\.[0-9]+)\*\*$`)

// ksmMatrix parses the "Compatibility matrix" table of a kube-state-metrics
// README. Grid cells "✓" and "-/✓" count as supported; "-" (the cluster has
// features the client cannot use) does not.
func ksmMatrix(readme string) ([]ksmRow, error) {
	lines := strings.Split(readme, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "#### Compatibility matrix" {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("no Compatibility matrix section")
	}
	var header []string
	var out []ksmRow
	for _, l := range lines[start+1:] {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "#") {
			break
		}
		if !strings.HasPrefix(t, "|") {
			if header != nil && t != "" {
				break
			}
			continue
		}
		cells := strings.Split(strings.Trim(t, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if header == nil {
			header = cells
			continue
		}
		if strings.Trim(cells[0], "-: ") == "" {
			continue // the separator line
		}
		m := ksmVersionRE.FindStringSubmatch(cells[0])
		if m == nil {
			continue // master/main
		}
		r := ksmRow{version: m[1]}
		if len(header) == 2 && strings.Contains(header[1], "client-go") {
			r.k8s = findMinors(cells[1])
		} else {
			r.grid = true
			for i := 1; i < len(cells) && i < len(header); i++ {
				if strings.Contains(cells[i], "✓") {
					r.k8s = append(r.k8s, findMinors(header[i])...)
				}
			}
		}
		if len(r.k8s) == 0 {
			continue
		}
		out = append(out, r)
	}
	if header == nil {
		return nil, fmt.Errorf("no table in the Compatibility matrix section")
	}
	return out, nil
}

func genKubeStateMetrics(f *fetcher) (*file, error) {
	fl := &file{
		header: `kube-state-metrics: the README "Compatibility matrix" of pinned releases, newest
first; each minor's row comes from the newest README that lists it. Up to v2.6
the README marks the Kubernetes minors each release fully supports ("✓" and
"-/✓"; "-" means the cluster has features the client cannot use), and that grid
is preferred; from v2.7 it names only the client-go minor a release is built
with, which the client-go matrix calls an exact match. Outside the listed minors
the project makes no full-support statement, so rows are tested lists.`,
		addon: map[string]any{
			"name":        "kube-state-metrics",
			"description": "Metrics about the state of Kubernetes objects",
			"url":         "https://github.com/kubernetes/kube-state-metrics",
			"detect": map[string]any{
				"images": []string{"kube-state-metrics/kube-state-metrics", "coreos/kube-state-metrics", "kube-state-metrics"},
				"charts": []map[string]any{{"name": "kube-state-metrics"}},
				"names":  []string{"kube-state-metrics"},
			},
		},
	}
	const path = "README.md"
	// Rows by minor; a grid row (several minors) replaces a client-go row
	// (one minor) from a newer README, else the newest README wins.
	byMinor := map[string]int{}
	grid := map[string]bool{}
	for _, mv := range ksmVersions {
		b, err := f.read(mv.module, mv.version, path)
		if err != nil {
			return nil, err
		}
		date, err := f.date(mv.module, mv.version)
		if err != nil {
			return nil, err
		}
		rows, err := ksmMatrix(string(b))
		if err != nil {
			return nil, fmt.Errorf("%s@%s: %w", mv.module, mv.version, err)
		}
		fl.provenance = append(fl.provenance, mv.module+"@"+mv.version)
		for _, r := range rows {
			minor := minorOf(r.version)
			i, seen := byMinor[minor]
			if seen && (grid[minor] || !r.grid) {
				continue
			}
			rw := row{Versions: minorRange(minor), Kind: "tested", K8s: sortMinors(r.k8s),
				Source: mv.module + "@" + mv.version + ":" + path, AsOf: date, Verified: true}
			if r.grid {
				rw.Note = fmt.Sprintf("v%s fully supports these minors; on others the client misses some cluster features", r.version)
			} else {
				rw.Note = fmt.Sprintf("v%s is built with client-go for Kubernetes %s", r.version, r.k8s[0])
			}
			grid[minor] = r.grid
			if seen {
				fl.rows[i] = rw
				continue
			}
			byMinor[minor] = len(fl.rows)
			fl.rows = append(fl.rows, rw)
		}
	}
	sortRows(fl.rows)
	return fl, nil
}
