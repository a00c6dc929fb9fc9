package rules

import "github.com/kupgrade-lint/kupgrade-lint/pkg/model"

// ParseError reports documents that could not be decoded.
var ParseError = &Rule{
	ID:       "parse-error",
	Title:    "document could not be decoded",
	Severity: model.SeverityError,
	Summary:  "A YAML or JSON document could not be parsed, so nothing in it was checked.",
	Doc: `A file that looks like a Kubernetes manifest (a .yaml, .yml or .json file) contains a
document that is not valid YAML or JSON, or an object whose apiVersion, kind or metadata has
the wrong type. kubectl would reject it, and kupgrade-lint cannot check anything inside it.
The other documents of the same file are still checked.

This matters before an upgrade because a document that cannot be read hides whatever
removed API or field it contains: a clean report would be a false promise.`,
	Remediation: "Fix the syntax error at the reported line (indentation, an unclosed quote or bracket, a tab character), or exclude the file in .kupgrade-lint.yaml if it is not a manifest.",
	Tags:        []string{"input"},
	Global:      true,
	Check: func(p *Pass) {
		reportProblems(p, "parse-error")
		// Terraform files are read only for helm_release addon versions.
		for _, e := range scanAddons(p).tfErrs {
			p.Report(Diagnostic{File: e.File, Line: e.Line, Column: e.Column, Message: e.Message, Key: e.Message})
		}
	},
}

// reportProblems turns the scan's problems of one rule into findings.
func reportProblems(p *Pass, rule string, keep ...func(model.Problem) bool) {
	for _, pr := range p.Problems {
		if pr.Rule != rule || (len(keep) > 0 && !keep[0](pr)) {
			continue
		}
		p.Report(Diagnostic{File: pr.File, Line: pr.Line, Column: pr.Column, Message: pr.Message, Key: pr.Detail + "\x00" + pr.Message})
	}
}
