// Package render finds what to scan below the given paths and turns it into
// objects with source positions: plain YAML/JSON files, Helm charts and
// Kustomize overlays. Inputs that cannot be read become located problems;
// the scan goes on with everything else.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// MaxFileSize is the default limit above which a manifest file is not read.
const MaxFileSize = 16 << 20

// Options control discovery and rendering.
type Options struct {
	// Paths are files or directories; "-" reads Stdin.
	Paths []string
	Stdin io.Reader
	// Excludes are doublestar globs matched against slash paths (as
	// displayed, and relative to each scanned root).
	Excludes []string
	// Target is the Kubernetes version charts are rendered for.
	Target kubeversion.Version
	// APIVersions are the group/versions and group/version/Kinds the target
	// serves (Helm's .Capabilities.APIVersions).
	APIVersions []string
	// Workers bounds parallelism (0: GOMAXPROCS).
	Workers int
	// MaxFileSize overrides the size limit (0: MaxFileSize).
	MaxFileSize int64
	// Helm and Kustomize hold renderer settings.
	Helm      HelmOptions
	Kustomize KustomizeOptions
	// RenderAll renders every kustomization, bases and components included.
	RenderAll bool
	// Sandbox isolates chart and overlay rendering.
	Sandbox SandboxOptions
}

// Result is everything discovery and rendering produced.
type Result struct {
	Objects  []*model.Object
	Problems []model.Problem
	Units    []model.Unit
}

// ErrNothingToScan means no path could be read at all.
var ErrNothingToScan = errors.New("nothing to scan")

// Run discovers and decodes/renders everything below opts.Paths. It returns
// an error only for unusable arguments (a path that does not exist); bad
// content is reported as problems.
func Run(ctx context.Context, opts Options) (*Result, error) {
	plan, err := discover(opts)
	if err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	units := make([]unitResult, len(plan.units))
	pool := newPool(opts, plan)
	if pool != nil {
		defer pool.Close()
	}
	scanID := newScanID()
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	// Start the expensive units first so a big chart does not run alone at
	// the end; results keep the plan's (sorted) order.
	order := make([]int, len(plan.units))
	for i := range order {
		order[i] = i
	}
	cost := map[model.SourceKind]int{model.SourceHelm: 0, model.SourceKustomize: 1}
	sort.SliceStable(order, func(a, b int) bool {
		ca, okA := cost[plan.units[order[a]].kind]
		cb, okB := cost[plan.units[order[b]].kind]
		if !okA {
			ca = 2
		}
		if !okB {
			cb = 2
		}
		return ca < cb
	})
	for _, i := range order {
		u := plan.units[i]
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, u unit) {
			defer wg.Done()
			defer func() { <-sem }()
			start := time.Now()
			if pool != nil && (u.kind == model.SourceHelm || u.kind == model.SourceKustomize) {
				units[i] = renderSandboxed(ctx, pool, scanID, u, opts, plan)
			} else {
				units[i] = renderUnit(ctx, u, opts, plan)
			}
			units[i].unit.DurationMS = float64(time.Since(start).Microseconds()) / 1000
		}(i, u)
	}
	wg.Wait()
	res := &Result{Problems: plan.problems}
	for _, u := range units {
		res.Objects = append(res.Objects, u.objects...)
		res.Problems = append(res.Problems, u.problems...)
		u.unit.Objects = len(u.objects)
		res.Units = append(res.Units, u.unit)
	}
	return res, nil
}

type unitResult struct {
	unit     model.Unit
	objects  []*model.Object
	problems []model.Problem
}

// unit is one independent piece of work.
type unit struct {
	kind model.SourceKind
	path string // display path (slash separated)
	fs   string // filesystem path
	data []byte // stdin content
	// root is the scanned tree the unit was found in (absolute, symlinks
	// resolved): nothing outside it is read on the unit's behalf.
	root string
}

type plan struct {
	units    []unit
	problems []model.Problem
	// charts and overlays found, by display path; renderers use them to
	// resolve references between scanned inputs.
	charts   []string
	overlays []string
	// crdAPIs lists API versions defined by CRDs in the scanned tree;
	// computed on first use (only charts need it).
	crdAPIs func() []string
	// kust holds what discovery learned about each kustomization directory
	// (by absolute path).
	kust   map[string]*kustInfo
	kustMu sync.Mutex
	// annotated caches resource files with source annotations added, by
	// absolute path, for overlays sharing bases.
	annotated sync.Map
}

func renderUnit(ctx context.Context, u unit, opts Options, p *plan) unitResult {
	r := unitResult{unit: model.Unit{Kind: u.kind, Path: u.path}}
	switch u.kind {
	case model.SourceStdin:
		r.objects, r.problems = DecodeBytes(u.data, DecodeOptions{File: u.path, Kind: model.SourceStdin, Exact: true})
	case model.SourcePlain:
		r.objects, r.problems = decodeFile(u, opts)
	case model.SourceHelm:
		r.objects, r.problems = renderChart(ctx, u, opts, p)
	case model.SourceKustomize:
		r.objects, r.problems = renderOverlay(ctx, u, opts, p)
	}
	return r
}

func decodeFile(u unit, opts Options) ([]*model.Object, []model.Problem) {
	fail := func(format string, args ...any) []model.Problem {
		return []model.Problem{{Rule: "parse-error", File: u.path, Line: 0, Message: fmt.Sprintf(format, args...), Kind: model.SourcePlain}}
	}
	limit := opts.MaxFileSize
	if limit <= 0 {
		limit = MaxFileSize
	}
	st, err := os.Stat(u.fs)
	if err != nil {
		return nil, fail("cannot read file: %v", err)
	}
	if st.Size() > limit {
		return nil, fail("file is %d bytes, larger than the %d-byte limit; not scanned (raise maxFileSize in .kupgrade-lint.yaml or exclude it)", st.Size(), limit)
	}
	data, err := os.ReadFile(u.fs)
	if err != nil {
		return nil, fail("cannot read file: %v", err)
	}
	if looksBinary(data) {
		return nil, fail("binary content in a manifest file; not scanned (exclude it in .kupgrade-lint.yaml if it is not a manifest)")
	}
	return DecodeBytes(data, DecodeOptions{File: u.path, Kind: model.SourcePlain, Exact: true})
}

func looksBinary(b []byte) bool {
	head := b
	if len(head) > 8000 {
		head = head[:8000]
	}
	return bytes.IndexByte(head, 0) >= 0
}

// IsManifestName reports whether a file name is one kupgrade-lint reads.
func IsManifestName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".terraform": true}

// discover walks the paths and classifies what it finds.
func discover(opts Options) (*plan, error) {
	p := &plan{}
	seen := map[string]bool{}
	var missing []string
	for _, arg := range opts.Paths {
		if arg == "-" {
			if opts.Stdin == nil {
				return nil, fmt.Errorf("stdin requested but not available")
			}
			data, err := io.ReadAll(opts.Stdin)
			if err != nil {
				return nil, fmt.Errorf("read stdin: %w", err)
			}
			p.units = append(p.units, unit{kind: model.SourceStdin, path: "<stdin>", data: data})
			continue
		}
		st, err := os.Stat(arg)
		if err != nil {
			missing = append(missing, arg)
			continue
		}
		if !st.IsDir() {
			disp := displayPath(arg)
			if seen[disp] {
				continue
			}
			seen[disp] = true
			root := scanRoot(filepath.Dir(arg))
			if strings.HasSuffix(strings.ToLower(arg), ".tgz") {
				p.units = append(p.units, unit{kind: model.SourceHelm, path: disp, fs: arg, root: root})
				p.charts = append(p.charts, disp)
				continue
			}
			p.units = append(p.units, unit{kind: model.SourcePlain, path: disp, fs: arg, root: root})
			continue
		}
		if err := walkDir(arg, opts, p, seen); err != nil {
			return nil, err
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: no such file or directory: %s", ErrNothingToScan, strings.Join(missing, ", "))
	}
	claimInputs(p, opts)
	p.crdAPIs = sync.OnceValue(func() []string { return collectCRDAPIs(p) })
	sort.SliceStable(p.units, func(i, j int) bool { return p.units[i].path < p.units[j].path })
	return p, nil
}

func walkDir(root string, opts Options, p *plan, seen map[string]bool) error {
	tree := scanRoot(root)
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			p.problems = append(p.problems, model.Problem{Rule: "parse-error", File: displayPath(path), Message: fmt.Sprintf("cannot read: %v", err), Kind: model.SourcePlain})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		disp := displayPath(path)
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if excluded(opts.Excludes, disp, rel) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root && skipDirs[d.Name()] {
				return fs.SkipDir
			}
			if isChartDir(path) {
				if !seen[disp] {
					seen[disp] = true
					p.units = append(p.units, unit{kind: model.SourceHelm, path: disp, fs: path, root: tree})
					p.charts = append(p.charts, disp)
				}
				// Everything inside a chart belongs to the chart.
				return fs.SkipDir
			}
			if isOverlayDir(path) && !seen[disp] {
				seen[disp] = true
				p.overlays = append(p.overlays, disp)
				p.units = append(p.units, unit{kind: model.SourceKustomize, path: disp, fs: path, root: tree})
			}
			return nil
		}
		if !d.Type().IsRegular() || seen[disp] {
			return nil
		}
		name := d.Name()
		if strings.HasSuffix(strings.ToLower(name), ".tgz") && isPackagedChart(path) {
			seen[disp] = true
			p.units = append(p.units, unit{kind: model.SourceHelm, path: disp, fs: path, root: tree})
			p.charts = append(p.charts, disp)
			return nil
		}
		if !IsManifestName(name) || isKustomizationName(name) {
			return nil
		}
		seen[disp] = true
		p.units = append(p.units, unit{kind: model.SourcePlain, path: disp, fs: path, root: tree})
		return nil
	})
}

func excluded(globs []string, paths ...string) bool {
	for _, g := range globs {
		for _, p := range paths {
			if p == "" || p == "." {
				continue
			}
			if ok, _ := doublestar.Match(g, p); ok {
				return true
			}
			// A directory glob like "vendor/**" also excludes "vendor".
			if ok, _ := doublestar.Match(strings.TrimSuffix(g, "/**"), p); ok {
				return true
			}
		}
	}
	return false
}

func isChartDir(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "Chart.yaml"))
	return err == nil && st.Mode().IsRegular()
}

var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

func isKustomizationName(name string) bool {
	for _, k := range kustomizationNames {
		if name == k {
			return true
		}
	}
	return false
}

// KustomizationFile returns the kustomization file in dir, or "".
func KustomizationFile(dir string) string {
	for _, k := range kustomizationNames {
		p := filepath.Join(dir, k)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

func isOverlayDir(dir string) bool { return KustomizationFile(dir) != "" }

// displayPath turns a filesystem path into the slash path shown to users:
// relative to the working directory when below it.
func displayPath(p string) string {
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// scanRoot is the absolute, symlink-free form of a scanned directory.
func scanRoot(dir string) string {
	a := absPath(dir)
	if r, err := filepath.EvalSymlinks(a); err == nil {
		return r
	}
	return a
}

// within reports whether p (absolute, symlinks resolved) is root or below it.
func within(root, p string) bool {
	if root == "" {
		return false
	}
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
