package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/ignore"
	syaml "sigs.k8s.io/yaml"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
)

// Helm's directory loader follows every symlink (it only logs them, and
// that log is discarded), reads FIFOs and devices until they end, and
// accepts any file size up to its own limits. Charts come from untrusted
// pull requests, so the chart is read here instead: nothing outside the
// chart directory, only regular files and directories, bounded in size and
// count. The files are then handed to loader.LoadFiles, which parses them
// exactly as loader.Load would.

const (
	// maxChartEntries bounds the files and directories of one chart
	// (archives included).
	maxChartEntries = 20000
	// maxChartDepth bounds directory nesting, and archive nesting below it.
	maxChartDepth  = 64
	maxArchiveNest = 8
)

// refusal is a chart the safety checks reject, located at the offending
// file.
type refusal struct {
	file string // display path
	msg  string
}

func (r *refusal) Error() string { return r.msg }

// chartSource is a chart read with the safety checks, ready for Helm.
type chartSource struct {
	files []*loader.BufferedFile
}

// load builds a fresh chart from the files (Helm edits charts while
// processing dependencies, so every release gets its own).
func (s *chartSource) load() (*chart.Chart, error) { return loader.LoadFiles(s.files) }

// fileLimit is the largest single file read for a chart; totalLimit bounds
// everything a chart holds, archives decompressed.
func (h *helmRender) fileLimit() int64 {
	if h.cfg.MaxFileSize > 0 {
		return h.cfg.MaxFileSize
	}
	return decode.MaxFileSize
}

func (h *helmRender) totalLimit() int64 { return 4 * h.fileLimit() }

// readChart reads the unit's chart directory or archive.
func (h *helmRender) readChart() (*chartSource, error) {
	if h.packaged {
		return h.readArchiveChart()
	}
	return h.readChartDir()
}

// where describes the target of a refused symlink: its display path when
// it is inside the scanned tree, never more (a target outside could name
// anything on the machine).
func (h *helmRender) where(resolved string) string {
	if h.u.Root != "" && paths.Within(h.u.Root, resolved) {
		return paths.Display(resolved)
	}
	return "a location outside the scanned tree"
}

func (h *helmRender) readChartDir() (*chartSource, error) {
	top := paths.Abs(h.u.Dir)
	realPath, err := filepath.EvalSymlinks(top)
	if err != nil {
		return nil, &refusal{h.chartFile(), fmt.Sprintf("cannot read chart directory %s: %v", h.u.Path, pathErr(err))}
	}
	if h.u.Root != "" && !paths.Within(h.u.Root, realPath) {
		return nil, &refusal{h.u.Path, fmt.Sprintf("chart directory %s resolves to %s, outside the scanned tree; not rendered", h.u.Path, h.where(realPath))}
	}
	w := &chartWalk{h: h, top: top, realPath: realPath, rules: ignore.Empty()}
	// .helmignore decides what Helm loads; an ignored entry is never
	// read, so it needs no checks either.
	if ent, err := w.entry(filepath.Join(top, ignore.HelmIgnore), ignore.HelmIgnore, nil); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	} else if ent.info.Mode().IsRegular() {
		data, err := w.read(ent)
		if err != nil {
			return nil, err
		}
		rules, err := ignore.Parse(bytes.NewReader(data))
		if err != nil {
			return nil, &refusal{paths.Display(ent.path), fmt.Sprintf("cannot parse %s: %v", paths.Display(ent.path), err)}
		}
		w.rules = rules
	}
	w.rules.AddDefaults()
	if err := w.dir(top, "", []string{realPath}); err != nil {
		return nil, err
	}
	if err := w.localDependencies(0); err != nil {
		return nil, err
	}
	return &chartSource{files: w.files}, nil
}

// localDependencies adds the dependencies a chart declares with a
// file:// repository and has not vendored, as `helm dependency build`
// would copy them: only charts inside the scanned tree, read with the same
// checks as the chart itself.
func (w *chartWalk) localDependencies(depth int) error {
	if depth > 3 {
		return nil
	}
	var deps []*chart.Dependency
	for _, f := range w.files {
		if f.Name != "Chart.yaml" && f.Name != "requirements.yaml" {
			continue
		}
		var md struct {
			Dependencies []*chart.Dependency `json:"dependencies"`
		}
		if syaml.Unmarshal(f.Data, &md) == nil {
			deps = append(deps, md.Dependencies...)
		}
	}
	for _, d := range deps {
		repo, ok := strings.CutPrefix(d.Repository, "file://")
		if !ok || d.Name == "" || strings.ContainsAny(d.Name, `/\`) || w.vendored(d.Name) {
			continue
		}
		dir := filepath.Join(w.top, filepath.FromSlash(repo))
		real, err := filepath.EvalSymlinks(dir)
		if err != nil || w.h.u.Root == "" || !paths.Within(w.h.u.Root, real) || !paths.IsChartDir(real) {
			continue // reported as not vendored, as before
		}
		sub := &chartWalk{h: w.h, top: dir, realPath: real, rules: ignore.Empty(), total: w.total, entries: w.entries}
		sub.rules.AddDefaults()
		if err := sub.dir(dir, "", []string{real}); err != nil {
			return err
		}
		if err := sub.localDependencies(depth + 1); err != nil {
			return err
		}
		for _, f := range sub.files {
			w.files = append(w.files, &loader.BufferedFile{Name: path.Join("charts", d.Name, f.Name), Data: f.Data})
		}
		w.total, w.entries = sub.total, sub.entries
	}
	return nil
}

// vendored reports whether charts/ already holds the dependency.
func (w *chartWalk) vendored(name string) bool {
	for _, f := range w.files {
		if strings.HasPrefix(f.Name, "charts/"+name+"/") || strings.HasPrefix(f.Name, "charts/"+name+"-") && strings.HasSuffix(f.Name, ".tgz") {
			return true
		}
	}
	return false
}

// chartWalk walks a chart directory without following symlinks blindly.
type chartWalk struct {
	h        *helmRender
	top      string // absolute chart path, as found
	realPath string // the same, symlinks resolved
	rules    *ignore.Rules
	files    []*loader.BufferedFile
	total    int64
	entries  int
}

// chartEntry is one directory entry with symlinks resolved.
type chartEntry struct {
	path     string // as reached (below top, through links)
	name     string // slash path relative to the chart, Helm's file name
	resolved string
	info     fs.FileInfo // of the resolved entry
	link     bool
}

// entry inspects p without reading it. A symlink must resolve, without a
// loop, to a place inside the chart directory.
func (w *chartWalk) entry(p, name string, stack []string) (*chartEntry, error) {
	disp := paths.Display(p)
	li, err := os.Lstat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, &refusal{disp, fmt.Sprintf("cannot read %s: %v; the chart is not rendered", disp, pathErr(err))}
	}
	e := &chartEntry{path: p, name: name, resolved: p, info: li}
	if li.Mode()&fs.ModeSymlink == 0 {
		if len(stack) > 0 {
			e.resolved = filepath.Join(stack[len(stack)-1], filepath.Base(p))
		}
		return e, nil
	}
	e.link = true
	resolved, err := filepath.EvalSymlinks(p)
	if err != nil {
		if w.rules.Ignore(name, li) {
			return e, nil // ignored by .helmignore: Helm never follows it
		}
		if isLinkLoop(err) {
			return nil, &refusal{disp, fmt.Sprintf("chart refused: %s is a symbolic link loop; remove the link", disp)}
		}
		return nil, &refusal{disp, fmt.Sprintf("chart refused: %s is a symbolic link whose target cannot be resolved (%v); Helm cannot load the chart with it", disp, pathErr(err))}
	}
	e.resolved = resolved
	ri, err := os.Lstat(resolved)
	if err != nil {
		return nil, &refusal{disp, fmt.Sprintf("cannot read %s: %v; the chart is not rendered", disp, pathErr(err))}
	}
	e.info = ri
	if w.rules.Ignore(name, ri) {
		return e, nil
	}
	if !paths.Within(w.realPath, resolved) {
		target := "a location outside the scanned tree"
		if w.h.u.Root != "" && paths.Within(w.h.u.Root, resolved) {
			target = paths.Display(resolved) + ", outside the chart directory"
		}
		return nil, &refusal{disp, fmt.Sprintf("chart refused: %s is a symbolic link to %s; Helm would read it into the chart. Copy the file into the chart instead of linking to it", disp, target)}
	}
	if ri.IsDir() {
		for _, s := range stack {
			if s == resolved || paths.Within(resolved, s) {
				return nil, &refusal{disp, fmt.Sprintf("chart refused: %s is a symbolic link loop (it links to %s, a directory that contains it); remove the link", disp, paths.Display(resolved))}
			}
		}
	}
	return e, nil
}

// isLinkLoop reports whether resolving a path failed on a symlink cycle.
func isLinkLoop(err error) bool {
	return errors.Is(err, syscall.ELOOP) || strings.Contains(err.Error(), "too many links")
}

// pathErr drops the path from an *fs.PathError: messages name the path
// themselves, as displayed.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func kindOf(m fs.FileMode) string { return safefs.Describe(m) }

// dir walks the directory p (Helm name prefix name); stack holds the
// resolved directories from the chart root down to p.
func (w *chartWalk) dir(p, name string, stack []string) error {
	if len(stack) > maxChartDepth {
		disp := paths.Display(p)
		return &refusal{disp, fmt.Sprintf("chart refused: %s is nested more than %d directories deep", disp, maxChartDepth)}
	}
	ents, err := os.ReadDir(p)
	if err != nil {
		disp := paths.Display(p)
		return &refusal{disp, fmt.Sprintf("cannot read directory %s: %v; the chart is not rendered", disp, pathErr(err))}
	}
	for _, d := range ents {
		w.entries++
		if w.entries > maxChartEntries {
			return &refusal{w.h.chartFile(), fmt.Sprintf("chart refused: %s holds more than %d files and directories", w.h.u.Path, maxChartEntries)}
		}
		cp := filepath.Join(p, d.Name())
		cn := path.Join(name, d.Name())
		e, err := w.entry(cp, cn, stack)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed while walking
			}
			return err
		}
		if w.rules.Ignore(cn, e.info) {
			continue
		}
		switch m := e.info.Mode(); {
		case m.IsDir():
			if err := w.dir(cp, cn, append(stack[:len(stack):len(stack)], e.resolved)); err != nil {
				return err
			}
		case m.IsRegular():
			data, err := w.read(e)
			if err != nil {
				return err
			}
			w.files = append(w.files, &loader.BufferedFile{Name: cn, Data: bytes.TrimPrefix(data, utf8BOM)})
			if isSubchartArchive(cn) {
				n, err := scanArchive(data, w.h.totalLimit()-w.total, 0)
				if err != nil {
					disp := paths.Display(cp)
					return &refusal{disp, fmt.Sprintf("chart refused: subchart archive %s %s", disp, w.h.archiveErr(err))}
				}
				w.total += n
			}
		default:
			disp := paths.Display(cp)
			what := disp + " is " + kindOf(m)
			if e.link {
				what = fmt.Sprintf("%s is a symbolic link to %s, which is %s", disp, w.h.where(e.resolved), kindOf(m))
			}
			return &refusal{disp, fmt.Sprintf("chart refused: %s; only regular files and directories are read (reading it could block or never end)", what)}
		}
	}
	return nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// read reads a regular chart file within the size limits.
func (w *chartWalk) read(e *chartEntry) ([]byte, error) {
	disp := paths.Display(e.path)
	limit := w.h.fileLimit()
	if e.info.Size() > limit {
		return nil, &refusal{disp, fmt.Sprintf("chart refused: %s is %d bytes, larger than the %d-byte limit (raise maxFileSize in .kupgrade-lint.yaml, or add the file to .helmignore)", disp, e.info.Size(), limit)}
	}
	data, err := readRegular(e.resolved, limit)
	if err != nil {
		if errors.Is(err, safefs.ErrTooLarge) {
			return nil, &refusal{disp, fmt.Sprintf("chart refused: %s is larger than the %d-byte limit", disp, limit)}
		}
		return nil, &refusal{disp, fmt.Sprintf("cannot read %s: %v; the chart is not rendered", disp, pathErr(err))}
	}
	w.total += int64(len(data))
	if w.total > w.h.totalLimit() {
		return nil, &refusal{w.h.chartFile(), fmt.Sprintf("chart refused: %s holds more than %d bytes (4 times the file size limit); reading stopped at %s", w.h.u.Path, w.h.totalLimit(), disp)}
	}
	return data, nil
}

// readRegular reads p if it is a regular file of at most limit bytes.
func readRegular(p string, limit int64) ([]byte, error) { return safefs.ReadFile(p, limit) }

// isSubchartArchive reports whether Helm unpacks the chart file name as a
// subchart: a .tgz directly in a charts/ directory.
func isSubchartArchive(name string) bool {
	return strings.HasSuffix(name, ".tgz") && path.Base(path.Dir(name)) == "charts"
}

// countingReader fails once more than limit bytes were read through it.
type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
}

// errArchiveTooLarge: the archive unpacks past the chart size limit.
var errArchiveTooLarge = errors.New("unpacks to more than the chart size limit")

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		return n, errArchiveTooLarge
	}
	return n, err
}

// scanArchive decompresses a chart archive without keeping it and returns
// how many bytes it unpacks to. It fails when that is more than budget
// bytes or maxChartEntries entries, nested subchart archives included:
// Helm's loader unpacks every charts/*.tgz into memory, up to 100 MiB
// each, at any depth, and a small gzip bomb would exhaust memory.
func scanArchive(data []byte, budget int64, depth int) (int64, error) {
	if depth > maxArchiveNest {
		return 0, fmt.Errorf("nests subchart archives more than %d deep", maxArchiveNest)
	}
	if budget <= 0 {
		return 0, errArchiveTooLarge
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return 0, fmt.Errorf("is not a gzip archive (%w)", err)
	}
	cr := &countingReader{r: gz, limit: budget}
	tr := tar.NewReader(cr)
	var nested int64
	for i := 0; ; i++ {
		if i >= maxChartEntries {
			return 0, fmt.Errorf("holds more than %d entries", maxChartEntries)
		}
		hd, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if errors.Is(err, errArchiveTooLarge) {
				return 0, errArchiveTooLarge
			}
			return 0, fmt.Errorf("is a damaged archive (%w)", err)
		}
		if hd.Typeflag == tar.TypeReg && isSubchartArchive(strings.ReplaceAll(hd.Name, `\`, "/")) && hd.Size <= budget {
			var buf bytes.Buffer
			_, err = io.Copy(&buf, tr)
			if err == nil {
				n, err := scanArchive(buf.Bytes(), budget-cr.n-nested, depth+1)
				if err != nil {
					return 0, err
				}
				nested += n
			}
		} else {
			_, err = io.Copy(io.Discard, tr)
		}
		if err != nil {
			if errors.Is(err, errArchiveTooLarge) {
				return 0, errArchiveTooLarge
			}
			return 0, fmt.Errorf("is a damaged archive (%w)", err)
		}
		if cr.n+nested > budget {
			return 0, errArchiveTooLarge
		}
	}
	return cr.n + nested, nil
}

// archiveErr words a scanArchive failure (after "the archive ...").
func (h *helmRender) archiveErr(err error) string {
	if errors.Is(err, errArchiveTooLarge) {
		return fmt.Sprintf("unpacks to more than %d bytes, the chart size limit (4 times the file size limit; a gzip bomb?)", h.totalLimit())
	}
	return err.Error()
}

// readArchiveChart reads a packaged chart.
func (h *helmRender) readArchiveChart() (*chartSource, error) {
	p := paths.Abs(h.u.Dir)
	realPath, err := filepath.EvalSymlinks(p)
	if err != nil {
		return nil, &refusal{h.u.Path, fmt.Sprintf("cannot read chart archive %s: %v", h.u.Path, pathErr(err))}
	}
	if h.u.Root != "" && !paths.Within(h.u.Root, realPath) {
		return nil, &refusal{h.u.Path, fmt.Sprintf("chart archive %s resolves to %s, outside the scanned tree; not rendered", h.u.Path, h.where(realPath))}
	}
	data, err := readRegular(realPath, h.fileLimit())
	if err != nil {
		return nil, &refusal{h.u.Path, fmt.Sprintf("cannot read chart archive %s: %v", h.u.Path, pathErr(err))}
	}
	if _, err := scanArchive(data, h.totalLimit()-int64(len(data)), 0); err != nil {
		return nil, &refusal{h.u.Path, fmt.Sprintf("chart archive %s refused: it %s", h.u.Path, h.archiveErr(err))}
	}
	files, err := loader.LoadArchiveFiles(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("cannot load chart %s: %w", h.u.Path, err)
	}
	return &chartSource{files: files}, nil
}

// readValuesFile reads a user or config values file: a regular file
// within the size limit (a link to /dev/zero or a FIFO must not hang the
// scan). Where the file may live is decided by whoever names it (the
// command line, the config file, a kustomization).
func (h *helmRender) readValuesFile(f string) (map[string]any, error) {
	realPath, err := filepath.EvalSymlinks(paths.Abs(f))
	if err != nil {
		if isLinkLoop(err) {
			return nil, errors.New("symbolic link loop")
		}
		return nil, pathErr(err)
	}
	data, err := readRegular(realPath, h.fileLimit())
	if err != nil {
		return nil, pathErr(err)
	}
	return chartutil.ReadValues(data)
}

// ArchiveCRDs returns the files of a packaged chart's crds/ directories,
// read as the chart is (bounded, so an archive bomb fails here too); nil
// when the archive cannot be read or loaded.
func ArchiveCRDs(c Chart) [][]byte {
	h := &helmRender{u: c, packaged: true}
	src, err := h.readArchiveChart()
	if err != nil {
		return nil
	}
	ch, err := src.load()
	if err != nil {
		return nil
	}
	out := make([][]byte, 0, len(ch.CRDObjects()))
	for _, f := range ch.CRDObjects() {
		out = append(out, f.File.Data)
	}
	return out
}
