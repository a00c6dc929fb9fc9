// Package baseline records the findings a repository has today so that later
// scans report only new ones. Findings are matched by fingerprint, which
// stays the same when lines move or messages are reworded.
package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Version is the file format version written by Write.
const Version = 1

// Entry is one recorded finding. Only Fingerprint is used for matching; the
// rest is there so a person reviewing the file knows what was accepted.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file,omitempty"`
	Object      string `json:"object,omitempty"`
}

// Baseline is a loaded baseline file.
type Baseline struct {
	Version       int     `json:"version"`
	TargetVersion string  `json:"targetVersion,omitempty"`
	Findings      []Entry `json:"findings"`

	set map[string]bool
}

// New builds a baseline from a report's findings: sorted by fingerprint,
// one entry per fingerprint.
func New(r *model.Report) *Baseline {
	b := &Baseline{Version: Version, TargetVersion: r.TargetVersion, Findings: []Entry{}}
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if f.Fingerprint == "" || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, Entry{Fingerprint: f.Fingerprint, Rule: f.Rule, File: f.File, Object: f.Ref()})
	}
	sort.Slice(b.Findings, func(i, j int) bool { return b.Findings[i].Fingerprint < b.Findings[j].Fingerprint })
	b.set = seen
	return b
}

// Write records r's findings as a baseline file: JSON, one finding per line,
// sorted, so diffs of the file are reviewable.
func Write(w io.Writer, r *model.Report) error {
	b := New(r)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "{\n  \"version\": %d,\n", b.Version)
	if b.TargetVersion != "" {
		tv, _ := json.Marshal(b.TargetVersion)
		fmt.Fprintf(&buf, "  \"targetVersion\": %s,\n", tv)
	}
	buf.WriteString("  \"findings\": [")
	for i, e := range b.Findings {
		line, err := marshal(e)
		if err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		buf.Write(line)
	}
	if len(b.Findings) > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]\n}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Load reads a baseline file written by Write.
func Load(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	b, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	return b, nil
}

// Parse decodes a baseline file's content.
func Parse(data []byte) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("not a kupgrade-lint baseline: %w", err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("unsupported baseline version %d (this kupgrade-lint writes version %d)", b.Version, Version)
	}
	b.set = make(map[string]bool, len(b.Findings))
	for i, e := range b.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("finding %d has no fingerprint", i+1)
		}
		b.set[e.Fingerprint] = true
	}
	return &b, nil
}

// Len is the number of recorded fingerprints.
func (b *Baseline) Len() int { return len(b.set) }

// Contains reports whether a fingerprint is recorded.
func (b *Baseline) Contains(fingerprint string) bool { return b.set[fingerprint] }

// Filter drops findings recorded in the baseline and returns the rest in
// their original order, plus how many were dropped.
func (b *Baseline) Filter(findings []model.Finding) (kept []model.Finding, suppressed int) {
	kept = make([]model.Finding, 0, len(findings))
	for _, f := range findings {
		if f.Fingerprint != "" && b.set[f.Fingerprint] {
			suppressed++
			continue
		}
		kept = append(kept, f)
	}
	return kept, suppressed
}
