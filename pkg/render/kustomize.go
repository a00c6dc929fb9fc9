package render

import (
	"context"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// KustomizeOptions configure overlay rendering.
type KustomizeOptions struct{}

// claimInputs removes plain files that an overlay in the plan uses, and
// overlays that other overlays use as bases, so each is reported once.
func claimInputs(*plan, Options) {}

func renderOverlay(_ context.Context, u unit, _ Options, _ *plan) ([]*model.Object, []model.Problem) {
	return nil, []model.Problem{{Rule: "render-error", File: u.path, Message: "Kustomize rendering is not implemented yet", Kind: model.SourceKustomize, Origin: u.path}}
}
