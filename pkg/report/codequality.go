package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// GitLab writes a GitLab Code Quality report (the Code Climate issue
// subset GitLab reads from artifacts:reports:codequality), which GitLab shows
// in the merge request widget and diff.
func GitLab(w io.Writer, r *model.Report, opt Options) error {
	type lines struct {
		Begin int `json:"begin"`
	}
	type location struct {
		Path  string `json:"path"`
		Lines lines  `json:"lines"`
	}
	type issue struct {
		Description string   `json:"description"`
		CheckName   string   `json:"check_name"`
		Fingerprint string   `json:"fingerprint"`
		Severity    string   `json:"severity"`
		Location    location `json:"location"`
	}
	issues := []issue{}
	paths := newPathMap(opt)
	for i := range r.Findings {
		f := &r.Findings[i]
		p := paths.path(f.File)
		if p == "" {
			continue // GitLab needs a file
		}
		// The format has no file-level form: an unknown line is reported
		// at the top of the file.
		line := max(f.Line, 1)
		desc := f.Message
		if ref := f.Ref(); ref != "" {
			desc = ref + ": " + desc
		}
		fp := f.Fingerprint
		if fp == "" {
			fp = fmt.Sprintf("%s:%s:%d", f.Rule, p, f.Line)
		}
		issues = append(issues, issue{
			Description: desc, CheckName: f.Rule, Fingerprint: fp,
			Severity: codeQualitySeverity(f.Severity), Location: location{Path: p, Lines: lines{Begin: line}},
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(issues); err != nil {
		return fmt.Errorf("gitlab: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// codeQualitySeverity maps to GitLab's scale (info, minor, major, critical,
// blocker): an error breaks the deploy after the upgrade, so it is critical.
func codeQualitySeverity(s model.Severity) string {
	switch s {
	case model.SeverityError:
		return "critical"
	case model.SeverityWarning:
		return "major"
	}
	return "info"
}
