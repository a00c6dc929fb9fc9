package render

import (
	"context"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/kustomize"
)

// KustomizeOptions configure overlay rendering. Nothing is configurable
// yet: load restrictions stay root-only and plugins stay off.
type KustomizeOptions struct{}

// envFor is what checking the unit's overlay depends on besides its files.
func envFor(u unit, opts Options) kustomize.Env {
	limit := opts.MaxFileSize
	if limit <= 0 {
		limit = MaxFileSize
	}
	return kustomize.Env{Root: u.root, Limit: limit}
}

func renderOverlay(ctx context.Context, u unit, opts Options, p *plan) ([]*model.Object, []model.Problem) {
	return kustomize.Render(ctx, kustomize.Overlay{Path: u.path, Dir: u.fs, Env: envFor(u, opts)}, helmConfig(opts, p), &p.kust)
}
