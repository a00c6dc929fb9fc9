package render

import (
	"context"
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
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
	return kustomize.Render(ctx, kustomize.Overlay{Path: u.path, Dir: u.fs, Env: envFor(u, opts)}, helmChartsRenderer(opts, p), &p.kust)
}

// helmChartsRenderer renders the charts of an overlay's helmCharts entries
// with the overlay's target, alone with the entry's values.
func helmChartsRenderer(opts Options, p *plan) kustomize.ChartRenderer {
	return func(ctx context.Context, c kustomize.Chart) ([]*model.Object, []model.Problem) {
		o := opts
		o.Helm = HelmOptions{ValuesFiles: c.ValuesFiles, Charts: map[string]ChartConfig{c.Dir: {ReleaseName: c.ReleaseName, Namespace: c.Namespace}}}
		h := &helmRender{u: unit{kind: model.SourceHelm, path: paths.Display(c.Dir), fs: c.Dir, root: c.Root}, opts: o, plan: p, inline: c.ValuesInline, skipCRDs: !c.IncludeCRDs}
		h.files = newChartFiles(c.Dir, h.u.path, false)
		func() {
			defer func() {
				if x := recover(); x != nil {
					h.probs = append(h.probs, h.problem(h.chartFile(), 0, "", fmt.Sprintf("rendering the chart crashed: %v", x)))
				}
			}()
			h.run(ctx)
		}()
		return h.objs, h.probs
	}
}
