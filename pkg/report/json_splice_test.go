package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// The findings are encoded in parallel and spliced in: the bytes must be
// those of encoding the whole report at once.
func TestJSONEqualsOneEncoding(t *testing.T) {
	for _, n := range []int{0, 1, 3, 1000} {
		r := &model.Report{Tool: "kupgrade-lint", ToolVersion: "v1 <&>", TargetVersion: "1.33", Notices: []string{`a "notice" with "findings": []`}}
		for i := range n {
			r.Findings = append(r.Findings, model.Finding{
				Rule: "removed-api", Severity: model.SeverityError, File: fmt.Sprintf("dir/<f%d>&.yaml", i), Line: i,
				Message: "uses \"quotes\", <html> & unicode é \u2028", Kind: "Deployment", Name: fmt.Sprint(i),
			})
		}
		var got bytes.Buffer
		if err := JSON(&got, r, Options{}); err != nil {
			t.Fatal(err)
		}
		fs := r.Findings
		if fs == nil {
			fs = []model.Finding{}
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(jsonReport{SchemaVersion: JSONSchemaVersion, Tool: jsonTool{Name: r.Tool, Version: r.ToolVersion}, TargetVersion: r.TargetVersion, FailOn: r.FailOn.String(), Findings: fs, Summary: r.Summary, Notices: r.Notices}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d findings: spliced output differs from one encoding:\n%s\n---\n%s", n, got.String()[:min(got.Len(), 600)], want.String()[:min(want.Len(), 600)])
		}
	}
}
