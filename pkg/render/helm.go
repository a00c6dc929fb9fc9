package render

import (
	"context"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// HelmOptions configure chart rendering.
type HelmOptions struct{}

func isPackagedChart(string) bool { return false }

func renderChart(_ context.Context, u unit, _ Options, _ *plan) ([]*model.Object, []model.Problem) {
	return nil, []model.Problem{{Rule: "render-error", File: u.path, Message: "Helm rendering is not implemented yet", Kind: model.SourceHelm, Origin: u.path}}
}
