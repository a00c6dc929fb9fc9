package rules

import (
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Register these in casesByRule (docs_test.go) when the rules are added to
// All().
var renderErrorCases = []ruleCase{
	{name: "template error becomes a finding", env: &Inputs{Problems: []model.Problem{{Rule: "render-error", File: "charts/web/templates/deployment.yaml", Line: 12, Message: "chart web does not render: execution error at (web/templates/deployment.yaml:12:3): image.tag is required", Origin: "charts/web", Kind: model.SourceHelm}}},
		want: []want{{"", "", "image.tag is required"}}},
	{name: "remote base becomes a finding", env: &Inputs{Problems: []model.Problem{{Rule: "render-error", File: "deploy/prod/kustomization.yaml", Line: 5, Message: `overlay deploy/prod is not built: resources entry "https://example.com/x.yaml" is a remote reference`, Detail: "https://example.com/x.yaml"}}},
		want: []want{{"", "", "remote reference"}}},
	{name: "other problems are ignored", env: &Inputs{Problems: []model.Problem{{Rule: "parse-error", File: "a.yaml", Line: 1, Message: "x"}}}},
}

var chartKubeVersionCases = []ruleCase{
	{name: "constraint excludes target", env: &Inputs{Problems: []model.Problem{{Rule: "chart-kube-version", File: "charts/web/Chart.yaml", Line: 4, Message: `chart web declares kubeVersion constraint ">=1.30.0-0", which excludes target 1.28`, Kind: model.SourceHelm}}},
		want: []want{{"", "", "excludes target 1.28"}}},
	{name: "no constraint problem", env: &Inputs{Problems: []model.Problem{{Rule: "render-error", File: "charts/web/Chart.yaml", Line: 4, Message: "x"}}}},
}

func TestRenderError(t *testing.T) {
	if fired, clean := runCases(t, RenderError, renderErrorCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", RenderError.ID, fired, clean)
	}
}
func TestChartKubeVersion(t *testing.T) {
	if fired, clean := runCases(t, ChartKubeVersion, chartKubeVersionCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", ChartKubeVersion.ID, fired, clean)
	}
}
