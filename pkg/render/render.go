// Package render finds what to scan below the given paths and turns it into
// objects with source positions: plain YAML/JSON files (decoded by
// render/decode), Helm charts (render/helm) and Kustomize overlays
// (render/kustomize), in this process or in sandboxed workers. Inputs that
// cannot be read become located problems; the scan goes on with everything
// else.
package render

import (
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
	"syscall"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/helm"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/kustomize"
)

// MaxFileSize is the default limit above which a manifest file is not read.
const MaxFileSize = decode.MaxFileSize

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
	// OnUnit, when set, receives each unit's objects as soon as the unit is
	// decoded or rendered, concurrently from the render goroutines, with
	// the unit's index in Result.Units; Result.Objects is then left empty so
	// the caller decides what to keep (the streaming scan).
	OnUnit func(index int, objects []*model.Object)
	// Range, when set, lists the minors (ascending, Target among them) a
	// plan or a scan with a current version judges. Each chart is rendered
	// for every one of them, once per group of minors its templates cannot
	// tell apart (helm/capprobe.go); plain files and overlays without charts
	// render once. OnVariant then receives every render of a unit with the
	// indexes in Range it stands for (together they cover Range once), in
	// place of OnUnit; Result.Problems keeps those of the Target.
	Range     []kubeversion.Version
	OnVariant func(index int, at []int, objects []*model.Object, problems []model.Problem)
	// probe makes chart renders record what they read of the
	// capabilities (set for the renders of a Range).
	probe bool
	// Shard, when set, selects the units to render by display path (the
	// scan's --shard); discovery still sees every unit, so references
	// between inputs resolve the same in every shard.
	Shard func(path string) bool
}

// Result is everything discovery and rendering produced.
type Result struct {
	Objects  []*model.Object
	Problems []model.Problem
	Units    []model.Unit
	// Index is the position of each of Units in the whole plan (all
	// shards); Discovery is how many of Problems came from discovery
	// rather than from a unit.
	Index     []int
	Discovery int
	// named filters the findings of units rendered for files named
	// inside them (see Reported).
	named *namedFilter
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
		if opts.Shard != nil && !opts.Shard(u.path) {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, u unit) {
			defer wg.Done()
			defer func() { <-sem }()
			start := time.Now()
			if len(opts.Range) > 0 {
				units[i] = renderRange(ctx, pool, scanID, i, u, opts, plan)
			} else if pool != nil && (u.kind == model.SourceHelm || u.kind == model.SourceKustomize) {
				units[i] = renderSandboxed(ctx, pool, scanID, u, opts, plan)
			} else {
				units[i] = renderUnit(ctx, u, opts, plan)
			}
			units[i].unit.DurationMS = float64(time.Since(start).Microseconds()) / 1000
			units[i].unit.Objects = len(units[i].objects)
			if len(opts.Range) > 0 {
				units[i].objects = nil // handed to OnVariant
			} else if opts.OnUnit != nil {
				opts.OnUnit(i, units[i].objects)
				units[i].objects = nil
			}
		}(i, u)
	}
	wg.Wait()
	res := &Result{Problems: plan.problems, Discovery: len(plan.problems), named: plan.named}
	for i, u := range units {
		if opts.Shard != nil && !opts.Shard(plan.units[i].path) {
			continue
		}
		res.Objects = append(res.Objects, u.objects...)
		res.Problems = append(res.Problems, u.problems...)
		res.Units = append(res.Units, u.unit)
		res.Index = append(res.Index, i)
	}
	return res, nil
}

type unitResult struct {
	unit     model.Unit
	objects  []*model.Object
	problems []model.Problem
	probe    *CapProbe
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
	// real is where discovery found a plain file inside root without
	// following a symlink ("" when a symlink led to it).
	real string
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
	// kust is what the overlays of the scan share (kustomization analyses,
	// checked and annotated files of common bases).
	kust kustomize.Cache
	// named are the units planned for file arguments inside them;
	// wholeUnits those reported in full, walked the charts and overlays a
	// directory argument found.
	named      *namedFilter
	wholeUnits map[string]bool
	walked     map[string]bool
}

func renderUnit(ctx context.Context, u unit, opts Options, p *plan) unitResult {
	r := unitResult{unit: model.Unit{Kind: u.kind, Path: u.path}}
	switch u.kind {
	case model.SourceStdin:
		r.objects, r.problems = decode.Bytes(u.data, decode.Options{File: u.path, Kind: model.SourceStdin, Exact: true})
	case model.SourcePlain:
		r.objects, r.problems = decodeFile(u, opts)
	case model.SourceHelm:
		r.objects, r.problems, r.probe = renderChart(ctx, u, opts, p)
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
	data, err := readManifest(u.fs, u.root, u.real, limit)
	if err != nil {
		return nil, fail("%v", err)
	}
	data, err = decode.ToUTF8(data)
	if err != nil {
		return nil, fail("%v", err)
	}
	if decode.LooksBinary(data) {
		return nil, fail("binary content in a manifest file; not scanned (exclude it in .kupgrade-lint.yaml if it is not a manifest)")
	}
	return decode.Bytes(data, decode.Options{File: u.path, Kind: model.SourcePlain, Exact: true, MaxFileSize: limit})
}

// readManifest reads a regular file of at most limit bytes that resolves
// inside root. The checks are made on the open file, so a path that became
// a FIFO or a device is refused instead of blocking or reading for ever.
func readManifest(path, root, real string, limit int64) ([]byte, error) {
	resolved, flags := real, os.O_RDONLY|syscall.O_NONBLOCK|noFollow
	if resolved == "" || root == "" || noFollow == 0 || !paths.Within(root, resolved) {
		// Found through a symlink: resolve it again where it is read.
		var err error
		if resolved, err = filepath.EvalSymlinks(paths.Abs(path)); err != nil {
			return nil, fmt.Errorf("cannot read file: %w", unwrapPathError(err))
		}
		if root != "" && !paths.Within(root, resolved) {
			return nil, errors.New("file resolves outside the scanned tree; not read")
		}
		flags = os.O_RDONLY | syscall.O_NONBLOCK
	}
	// A file discovery found as a regular entry is opened where it was
	// found, refusing a link put in its place since.
	fh, err := os.OpenFile(resolved, flags, 0)
	if err != nil {
		return nil, fmt.Errorf("cannot read file: %w", unwrapPathError(err))
	}
	defer func() { _ = fh.Close() }() // read-only
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read file: %w", unwrapPathError(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s; not read", describeMode(st.Mode()))
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("file is %d bytes, larger than the %d-byte limit; not scanned (raise maxFileSize in .kupgrade-lint.yaml or exclude it)", st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read file: %w", unwrapPathError(err))
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file grew past the %d-byte limit while being read; not scanned", limit)
	}
	return data, nil
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
			limit := opts.MaxFileSize
			if limit <= 0 {
				limit = MaxFileSize
			}
			data, err := io.ReadAll(io.LimitReader(opts.Stdin, limit+1))
			if err != nil {
				return nil, fmt.Errorf("read stdin: %w", err)
			}
			if int64(len(data)) > limit {
				return nil, fmt.Errorf("stdin is larger than the %d-byte limit (raise maxFileSize in .kupgrade-lint.yaml, or scan the files themselves)", limit)
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
			disp := paths.Display(arg)
			if seen[disp] {
				continue
			}
			seen[disp] = true
			// A file argument was typed by the user: its tree is where it
			// really is, so a symlinked argument is read.
			root := paths.ScanRoot(filepath.Dir(arg))
			if resolved, err := filepath.EvalSymlinks(paths.Abs(arg)); err == nil {
				root = filepath.Dir(resolved)
			}
			if strings.HasSuffix(strings.ToLower(arg), ".tgz") {
				p.units = append(p.units, unit{kind: model.SourceHelm, path: disp, fs: arg, root: root})
				p.charts = append(p.charts, disp)
				continue
			}
			// A file of a chart or a kustomization is scanned through it.
			if p.promote(arg, opts, seen) {
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
	p.finishNamed(p.walked)
	claimInputs(p, opts)
	p.crdAPIs = sync.OnceValue(func() []string { return collectCRDAPIs(p) })
	sort.SliceStable(p.units, func(i, j int) bool { return p.units[i].path < p.units[j].path })
	return p, nil
}

func walkDir(root string, opts Options, p *plan, seen map[string]bool) error {
	w := &walker{opts: opts, p: p, seen: seen, root: root, tree: paths.ScanRoot(root), taken: map[string]bool{}}
	w.wd, _ = os.Getwd()
	// The root is read through os.ReadDir, which follows a symlinked root.
	if w.skipped(root) {
		return nil
	}
	w.dir(root, w.tree)
	// Symlinks come after the plain walk, so a file reached both directly
	// and through a link is scanned once, under its own path.
	for len(w.links) > 0 {
		l := w.links[0]
		w.links = w.links[1:]
		w.follow(l)
	}
	return nil
}

// walker walks one scanned tree. Symlinks are followed only to regular
// files and directories inside the tree; others are reported, never read.
type walker struct {
	opts  Options
	p     *plan
	seen  map[string]bool // display paths already planned (all arguments)
	root  string          // the directory argument, as given
	tree  string          // root, absolute with symlinks resolved
	taken map[string]bool // resolved files and directories already walked
	// charts are resolved chart directories: files in them belong to the
	// chart, even when a symlink elsewhere points at them.
	charts []string
	links  []string // symlinks found, followed after the plain walk
	wd     string   // the working directory, for display paths
}

// display is paths.Display with the walk's working directory.
func (w *walker) display(p string) string { return paths.DisplayIn(w.wd, p) }

func (w *walker) problem(path, format string, args ...any) {
	w.p.problems = append(w.p.problems, model.Problem{Rule: "parse-error", File: paths.Display(path), Message: fmt.Sprintf(format, args...), Kind: model.SourcePlain})
}

// skipped reports whether path (below root) is excluded by a glob.
func (w *walker) skipped(path string) bool {
	rel, _ := filepath.Rel(w.root, path)
	return excluded(w.opts.Excludes, w.display(path), filepath.ToSlash(rel))
}

// dir walks a directory: path is how it is reached (below root), resolved
// its location inside the tree (symlinks resolved).
func (w *walker) dir(path, resolved string) {
	if w.taken[resolved] {
		return // already walked (a link to it, or a loop)
	}
	w.taken[resolved] = true
	disp := w.display(path)
	if paths.IsChartDir(path) || paths.IsOverlayDir(path) {
		if w.p.walked == nil {
			w.p.walked = map[string]bool{}
		}
		w.p.walked[disp] = true
	}
	if paths.IsChartDir(path) {
		w.charts = append(w.charts, resolved)
		if !w.seen[disp] {
			w.seen[disp] = true
			w.p.units = append(w.p.units, unit{kind: model.SourceHelm, path: disp, fs: path, root: w.tree})
			w.p.charts = append(w.p.charts, disp)
		}
		// Everything inside a chart belongs to the chart.
		return
	}
	if paths.IsOverlayDir(path) && !w.seen[disp] {
		w.seen[disp] = true
		w.p.overlays = append(w.p.overlays, disp)
		w.p.units = append(w.p.units, unit{kind: model.SourceKustomize, path: disp, fs: path, root: w.tree})
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		w.problem(path, "cannot read directory: %v", unwrapPathError(err))
		if len(entries) == 0 {
			return
		}
	}
	for _, e := range entries {
		child := filepath.Join(path, e.Name())
		if w.skipped(child) {
			continue
		}
		switch t := e.Type(); {
		case t&fs.ModeSymlink != 0:
			w.links = append(w.links, child)
		case t.IsDir():
			if !skipDirs[e.Name()] {
				w.dir(child, filepath.Join(resolved, e.Name()))
			}
		default:
			w.file(child, filepath.Join(resolved, e.Name()), t)
		}
	}
}

// file plans a file: path is how it is reached, resolved where it is, mode
// its type (after following a symlink).
func (w *walker) file(path, resolved string, mode fs.FileMode) {
	disp := w.display(path)
	name := filepath.Base(path)
	lower := strings.ToLower(name)
	isTgz := strings.HasSuffix(lower, ".tgz")
	if w.seen[disp] || (!isTgz && (!IsManifestName(name) || paths.IsKustomizationName(name))) {
		return
	}
	if !mode.IsRegular() {
		w.problem(path, "%s; not read", describeMode(mode))
		return
	}
	if w.taken[resolved] {
		return
	}
	if isTgz {
		if helm.IsPackagedChart(resolved) {
			w.taken[resolved] = true
			w.seen[disp] = true
			w.p.units = append(w.p.units, unit{kind: model.SourceHelm, path: disp, fs: path, root: w.tree})
			w.p.charts = append(w.p.charts, disp)
		}
		return
	}
	w.taken[resolved] = true
	w.seen[disp] = true
	u := unit{kind: model.SourcePlain, path: disp, fs: path, root: w.tree}
	if mode.Type() == 0 {
		u.real = resolved // a regular file's directory entry: no link on the way
	}
	w.p.units = append(w.p.units, u)
}

// follow resolves a symlink found in the tree.
func (w *walker) follow(link string) {
	name := filepath.Base(link)
	relevant := func(isDir bool) bool {
		return isDir || IsManifestName(name) || strings.HasSuffix(strings.ToLower(name), ".tgz")
	}
	target, err := filepath.EvalSymlinks(paths.Abs(link))
	if err != nil {
		// The error names the target, which may be outside the tree.
		if relevant(false) {
			w.problem(link, "symlink cannot be resolved (its target is missing, or it is a loop); not followed")
		}
		return
	}
	st, err := os.Stat(target)
	if err != nil {
		if relevant(false) {
			w.problem(link, "symlink cannot be resolved; not followed")
		}
		return
	}
	if !paths.Within(w.tree, target) {
		if relevant(st.IsDir()) {
			w.problem(link, "symlink points outside the scanned tree; not followed (scan its target as its own path if it should be checked)")
		}
		return
	}
	rel, _ := filepath.Rel(w.tree, target)
	shown := filepath.Join(w.root, rel)
	// What the target would be if walked directly: excluded or skipped
	// directories stay so when reached through a link.
	if w.skipped(shown) || w.inSkipDir(rel) {
		return
	}
	for _, c := range w.charts {
		if paths.Within(c, target) {
			return // the chart reads it
		}
	}
	switch {
	case st.IsDir():
		w.dir(link, target)
	case st.Mode().IsRegular():
		w.file(link, target, st.Mode())
	default:
		if relevant(false) {
			w.problem(link, "symlink to %s, which is %s; not read", paths.Display(shown), strings.TrimPrefix(describeMode(st.Mode()), "not a regular file: "))
		}
	}
}

// inSkipDir reports whether a path relative to the tree lies in a directory
// the walk skips (.git, vendor, ...).
func (w *walker) inSkipDir(rel string) bool {
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if skipDirs[part] {
			return true
		}
	}
	return false
}

// describeMode says what kind of non-regular file a mode is.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "not a regular file: a named pipe (FIFO)"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "not a regular file: a device"
	case m&fs.ModeSocket != 0:
		return "not a regular file: a socket"
	case m.IsDir():
		return "not a regular file: a directory"
	}
	return "not a regular file"
}

// unwrapPathError drops the path from an *fs.PathError (the message names
// the file already).
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
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
