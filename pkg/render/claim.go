package render

import (
	"path/filepath"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
)

// claimInputs removes plain files that an overlay in the plan uses, and
// overlays that other overlays use as bases (and Components), so each is
// reported once: a base's objects are reported at the base's files through
// the overlays that build on it. Overlays that cannot be built (a refused
// reference, a base cycle) claim nothing: their files are scanned as plain
// files and their bases render on their own. Paths are compared with
// symlinks resolved.
func claimInputs(p *plan, opts Options) {
	claimedFiles := map[string]bool{}
	baseDirs := map[string]bool{}
	usedCharts := map[string]bool{}
	// Manifests that sit beside a kustomization but are not listed in it
	// are kustomize inputs too (commented-out patches, partial objects):
	// decoding them as plain files would report problems nobody deploys.
	overlayDirs := map[string]bool{}
	for _, u := range p.units {
		if u.kind != model.SourceKustomize {
			continue
		}
		abs := paths.Real(paths.Abs(u.fs))
		c := p.kust.Closure(abs, envFor(u, opts))
		if len(c.Problems) > 0 {
			continue
		}
		for _, d := range c.Dirs {
			overlayDirs[d] = true
		}
		for _, f := range c.Files {
			claimedFiles[f] = true
		}
		for _, d := range c.Dirs {
			if d != abs {
				baseDirs[d] = true
			}
		}
		for _, ch := range c.Charts {
			usedCharts[ch] = true
		}
	}
	out := p.units[:0]
	for _, u := range p.units {
		switch u.kind {
		case model.SourcePlain:
			abs := paths.Real(paths.Abs(u.fs))
			if claimedFiles[abs] || overlayDirs[filepath.Dir(abs)] || p.kust.IsInput(abs, overlayDirs) {
				continue
			}
		case model.SourceKustomize:
			abs := paths.Real(paths.Abs(u.fs))
			if !opts.RenderAll && (baseDirs[abs] || p.kust.IsComponent(abs, envFor(u, opts))) {
				continue
			}
		case model.SourceHelm:
			// Charts that overlays inflate are rendered with the overlay's
			// values, through the overlay.
			if !opts.RenderAll && usedCharts[paths.Real(paths.Abs(u.fs))] {
				continue
			}
		}
		out = append(out, u)
	}
	p.units = out
}
