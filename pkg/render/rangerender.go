package render

import (
	"context"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
)

// renderRange renders unit i for every minor of opts.Range: first for the
// target, then again only for the minors whose capabilities the previous
// renders' templates would see differently, nearest the target first.
func renderRange(ctx context.Context, pool *sandbox.Pool, scanID string, i int, u unit, opts Options, p *plan) unitResult {
	opts.probe = true
	one := func(v kubeversion.Version) unitResult {
		o := opts
		if v != opts.Target {
			o.Target, o.APIVersions = v, nil
		}
		if pool != nil && (u.kind == model.SourceHelm || u.kind == model.SourceKustomize) {
			return renderSandboxed(ctx, pool, scanID, u, o, p)
		}
		return renderUnit(ctx, u, o, p)
	}
	first := one(opts.Target)
	// An overlay inflating charts renders them inside Kustomize, where no
	// probe reaches: every minor renders on its own.
	overlayCharts := u.kind == model.SourceKustomize && len(p.kust.Closure(paths.Abs(u.fs), envFor(u, opts)).Charts) > 0
	pending := make([]int, len(opts.Range))
	for j := range pending {
		pending[j] = j
	}
	at := indexOfVersion(opts.Range, opts.Target)
	r := first
	for len(pending) > 0 && ctx.Err() == nil {
		probe := r.probe
		if overlayCharts {
			probe = &CapProbe{All: true}
		}
		var crdAPIs []string
		if probe != nil && len(probe.Has) > 0 {
			crdAPIs = p.crdAPIs()
		}
		keys := probe.Keys(opts.Range, crdAPIs)
		var same, rest []int
		for _, j := range pending {
			if j == at || keys[j] == keys[at] {
				same = append(same, j)
			} else {
				rest = append(rest, j)
			}
		}
		opts.OnVariant(i, same, r.objects, r.problems)
		pending = rest
		if len(pending) == 0 {
			break
		}
		at = pending[len(pending)-1]
		r = one(opts.Range[at])
	}
	return first
}

func indexOfVersion(vs []kubeversion.Version, v kubeversion.Version) int {
	for i, x := range vs {
		if x == v {
			return i
		}
	}
	return len(vs) - 1
}
