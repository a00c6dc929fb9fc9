package report

import (
	"strconv"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

const (
	defaultTool    = "kupgrade-lint"
	informationURI = "https://github.com/kupgrade-lint/kupgrade-lint"
)

func toolName(r *model.Report) string {
	if r.Tool != "" {
		return r.Tool
	}
	return defaultTool
}

// isProblem reports whether f says an input could not be read (parse or
// render error) rather than something about an object.
func isProblem(f *model.Finding, rules map[string]*model.RuleInfo) bool {
	if f.Rule == "parse-error" || f.Rule == "render-error" {
		return true
	}
	if ri := rules[f.Rule]; ri != nil {
		for _, t := range ri.Tags {
			if t == "input" {
				return true
			}
		}
	}
	return false
}

func ruleMap(r *model.Report) map[string]*model.RuleInfo {
	m := make(map[string]*model.RuleInfo, len(r.Rules))
	for i := range r.Rules {
		m[r.Rules[i].ID] = &r.Rules[i]
	}
	return m
}

// fails reports whether f is at or above the report's --fail-on threshold.
// A threshold of none never fails.
func fails(f *model.Finding, failOn model.Severity) bool {
	return failOn != model.SeverityNone && f.Severity >= failOn
}

// location renders file:line:col, leaving out unknown parts.
func location(file string, line, col int) string {
	if file == "" {
		return ""
	}
	s := file
	if line > 0 {
		s += ":" + itoa(line)
		if col > 0 {
			s += ":" + itoa(col)
		}
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
