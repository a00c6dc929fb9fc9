package report

import (
	"encoding/json"
	"io"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// JSONSchemaVersion is bumped on incompatible changes to the JSON output
// (docs/json-output.md).
const JSONSchemaVersion = 1

type jsonReport struct {
	SchemaVersion  int             `json:"schemaVersion"`
	Tool           jsonTool        `json:"tool"`
	TargetVersion  string          `json:"targetVersion"`
	CurrentVersion string          `json:"currentVersion,omitempty"`
	FailOn         string          `json:"failOn"`
	Findings       []model.Finding `json:"findings"`
	Summary        model.Summary   `json:"summary"`
	Notices        []string        `json:"notices,omitempty"`
	ExitCode       int             `json:"exitCode"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// JSON writes the documented JSON contract (docs/json-output.md).
func JSON(w io.Writer, r *model.Report, _ Options) error {
	out := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: r.Tool, Version: r.ToolVersion},
		TargetVersion: r.TargetVersion, CurrentVersion: r.CurrentVersion,
		FailOn: r.FailOn.String(), Findings: r.Findings, Summary: r.Summary, Notices: r.Notices, ExitCode: r.ExitCode,
	}
	if out.Findings == nil {
		out.Findings = []model.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
