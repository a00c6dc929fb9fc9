package render

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
)

// A file argument inside a chart or a kustomization (a file that `git diff
// --name-only` or pre-commit names) cannot be read on its own: a template
// is not YAML, a patch is not an object. It is scanned by rendering the unit
// it belongs to, and only the findings located in the named files of that
// unit are reported, so a commit is judged on what it changes. A named file
// that shapes the whole unit (Chart.yaml, values, helpers, the
// kustomization itself) makes every finding of the unit reported. Render
// errors are always reported: they mean the named file was not checked.

// namedFilter says which findings of promoted units are reported.
type namedFilter struct {
	// units are the display paths of units rendered for named files only.
	units map[string]bool
	// files are the named files, absolute, as given and symlinks resolved.
	files map[string]bool
}

// Reported returns the findings to report: all of them, except that
// findings of a unit rendered only because files inside it were named are
// kept only when they are located in a named file (render errors always).
// It is a no-op when no file argument named a file inside a unit.
func (r *Result) Reported(fs []model.Finding) []model.Finding {
	nf := r.named
	if nf == nil || len(nf.units) == 0 {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Origin != "" && nf.units[f.Origin] && f.Rule != "render-error" {
			a := paths.Abs(filepath.FromSlash(f.File))
			if !nf.files[a] && !nf.files[paths.Real(a)] {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// NamedUnits lists the units rendered for files named inside them, with
// whether only the named files' findings are reported (false: the whole
// unit is).
func (r *Result) NamedUnits() map[string]bool {
	out := map[string]bool{}
	if r.named != nil {
		for u, only := range r.named.units {
			out[u] = only
		}
	}
	return out
}

// promote plans the chart or overlay that file arg belongs to and reports
// whether it did; a file that belongs to none is a plain file.
func (p *plan) promote(arg string, opts Options, seen map[string]bool) bool {
	abs := paths.Abs(arg)
	dir := filepath.Dir(abs)
	top := treeTop(dir)
	stop := top
	if stop == "" {
		stop = filepath.VolumeName(dir) + string(filepath.Separator)
	}
	name := filepath.Base(abs)
	kind, unitDir, whole := model.SourceKind(""), "", false
	if c := enclosingChart(dir, stop); c != "" {
		kind, unitDir = model.SourceHelm, c
		rel, _ := filepath.Rel(c, abs)
		whole = !chartTemplate(filepath.ToSlash(rel))
	} else if paths.IsKustomizationName(name) {
		kind, unitDir, whole = model.SourceKustomize, dir, true
	} else if d := p.enclosingOverlay(abs, stop, top, opts); d != "" {
		kind, unitDir = model.SourceKustomize, d
	}
	if kind == "" {
		return false
	}
	if p.named == nil {
		p.named = &namedFilter{units: map[string]bool{}, files: map[string]bool{}}
		p.wholeUnits = map[string]bool{}
	}
	p.named.files[abs] = true
	p.named.files[paths.Real(abs)] = true
	root := top
	if root == "" {
		root = unitDir // as if the unit's directory were scanned
	}
	disp := paths.Display(unitDir)
	if whole {
		p.wholeUnits[disp] = true
	}
	if _, ok := p.named.units[disp]; !ok && seen[disp] {
		return true // planned by a directory argument: reported in full
	}
	p.named.units[disp] = true
	if !seen[disp] {
		seen[disp] = true
		p.units = append(p.units, unit{kind: kind, path: disp, fs: unitDir, root: paths.ScanRoot(root)})
		if kind == model.SourceHelm {
			p.charts = append(p.charts, disp)
		} else {
			p.overlays = append(p.overlays, disp)
		}
	}
	return true
}

// finishNamed drops the filter of units that a directory argument also
// planned or that a named file makes reported in full.
func (p *plan) finishNamed(full map[string]bool) {
	if p.named == nil {
		return
	}
	for u := range p.named.units {
		if full[u] || p.wholeUnits[u] {
			delete(p.named.units, u)
		}
	}
}

// treeTop is the top of the tree a named file's unit may read: the
// enclosing git work tree, else the working directory when dir is below
// it, else "" (the unit reads its own directory only).
func treeTop(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if wd, err := os.Getwd(); err == nil && paths.Within(paths.ScanRoot(wd), paths.ScanRoot(dir)) {
		return wd
	}
	return ""
}

// enclosingChart is the chart directory that dir is in (a subchart's files
// belong to the chart that vendors it), or "".
func enclosingChart(dir, stop string) string {
	chart := ""
	for d := dir; ; d = filepath.Dir(d) {
		if paths.IsChartDir(d) {
			chart = d
			break
		}
		if d == stop || filepath.Dir(d) == d {
			return ""
		}
	}
	for {
		parent := filepath.Dir(chart)
		if filepath.Base(parent) != "charts" || !paths.IsChartDir(filepath.Dir(parent)) || !paths.Within(stop, filepath.Dir(parent)) {
			return chart
		}
		chart = filepath.Dir(parent)
	}
}

// chartTemplate reports whether a path relative to a chart is a template
// that renders objects (not a helper, values or chart metadata).
func chartTemplate(rel string) bool {
	parts := strings.Split(rel, "/")
	name := parts[len(parts)-1]
	if strings.HasPrefix(name, "_") || !IsManifestName(name) {
		return false
	}
	for _, s := range parts[:len(parts)-1] {
		if s == "templates" || s == "crds" {
			return true
		}
	}
	return false
}

// enclosingOverlay is the nearest kustomization directory, at or above the
// file, that uses the file (as a resource, a patch, or an unlisted input
// beside it, as a directory scan would treat it), or "".
func (p *plan) enclosingOverlay(abs, stop, top string, opts Options) string {
	real := paths.Real(abs)
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		if paths.IsOverlayDir(d) {
			root := top
			if root == "" {
				root = d
			}
			u := unit{kind: model.SourceKustomize, fs: d, root: paths.ScanRoot(root)}
			c := p.kust.Closure(paths.Real(d), envFor(u, opts))
			dirs := map[string]bool{}
			for _, x := range c.Dirs {
				dirs[x] = true
			}
			dirs[paths.Real(d)] = true
			if dirs[filepath.Dir(real)] || p.kust.IsInput(real, dirs) {
				return d
			}
			for _, f := range c.Files {
				if f == real {
					return d
				}
			}
		}
		if d == stop || filepath.Dir(d) == d {
			return ""
		}
	}
}
