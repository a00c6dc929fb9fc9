// Package kustomize builds Kustomize overlays offline: every reference of
// every kustomization involved is checked before krusty runs (no remote
// base, nothing outside the scanned tree, no alias bomb), helmCharts
// entries render through the Helm package, and each object keeps the file
// and line it came from, through patches too.
package kustomize

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/helm"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
)

// SourceAnnotation carries "file#document" through a Kustomize build: the
// renderer adds it to every document of the resource files Kustomize reads
// and removes it from the output. Kustomize's own originAnnotations would
// do the same, but make every transformer rewrite a history annotation on
// every object, which more than doubles build time.
const SourceAnnotation = "kupgrade-lint.io/source"

// Closure is everything a kustomization uses, through its local bases
// (real paths).
type Closure struct {
	Files, Dirs, Charts, Resources, Kustomizations []string
	// Problems are refused references and files, and base cycles: an
	// overlay whose closure has any is not built.
	Problems []model.Problem
}

// Cache is what the overlays of one scan share: the analysis of every
// kustomization and the checked and annotated files of common bases. The
// zero value is ready; it is safe for concurrent use.
type Cache struct {
	// kust holds the analysis of each kustomization directory (by scanned
	// tree and absolute path).
	kust   map[string]*kustInfo
	kustMu sync.Mutex
	// annotated caches resource files with source annotations added, by
	// absolute path.
	annotated sync.Map
	// kustText caches the raw text of kustomization files (by directory),
	// comments included.
	kustText sync.Map
	// yamlChecked holds the real paths of files that passed the alias
	// checks.
	yamlChecked sync.Map
}

// Closure walks a kustomization and its local bases. A base that leads
// back to a kustomization on the current path is a cycle: Kustomize cannot
// build it, and without the check each overlay of the cycle would claim the
// others as bases, so none would be scanned.
func (kc *Cache) Closure(dir string, env Env) Closure {
	var c Closure
	seen := map[string]bool{}
	onPath := map[string]int{}
	var path []string
	var walk func(d string)
	walk = func(d string) {
		seen[d] = true
		onPath[d] = len(path)
		path = append(path, d)
		k := kc.kustomization(d, env)
		if k.file != "" {
			c.Kustomizations = append(c.Kustomizations, k.file)
		}
		c.Files = append(c.Files, k.files...)
		c.Resources = append(c.Resources, k.resources...)
		c.Charts = append(c.Charts, k.charts...)
		c.Problems = append(c.Problems, k.problems...)
		for _, sub := range k.dirs {
			if i, ok := onPath[sub.path]; ok {
				c.Problems = append(c.Problems, cycleProblem(k, sub, path[i:]))
				continue
			}
			if seen[sub.path] {
				continue
			}
			c.Dirs = append(c.Dirs, sub.path)
			walk(sub.path)
		}
		path = path[:len(path)-1]
		delete(onPath, d)
	}
	walk(paths.Real(dir))
	return c
}

// cycleProblem reports the reference of k that closes a cycle through the
// kustomizations of cycle.
func cycleProblem(k *kustInfo, ref kustRef, cycle []string) model.Problem {
	names := make([]string, 0, len(cycle)+1)
	for _, d := range cycle {
		names = append(names, paths.Display(d))
	}
	names = append(names, paths.Display(ref.path))
	msg := fmt.Sprintf("%s %q closes a cycle of kustomizations that use each other as bases (%s); Kustomize cannot build a cycle, so none of %s is built (their files are scanned as plain manifests)",
		ref.field, ref.value, strings.Join(names, " -> "), strings.Join(names[:len(names)-1], ", "))
	if len(cycle) == 1 {
		msg = fmt.Sprintf("%s %q is the kustomization itself; Kustomize cannot build an overlay on itself, so %s is not built (its files are scanned as plain manifests)", ref.field, ref.value, names[0])
	}
	return model.Problem{Rule: "render-error", File: paths.Display(k.file), Line: ref.line, Kind: model.SourceKustomize, Detail: ref.value, Message: msg}
}

// IsComponent reports whether the kustomization in dir is a Component.
func (kc *Cache) IsComponent(dir string, env Env) bool { return kc.kustomization(dir, env).component }

// kustomization returns the (cached) analysis of dir.
func (kc *Cache) kustomization(dir string, env Env) *kustInfo {
	kc.kustMu.Lock()
	defer kc.kustMu.Unlock()
	if kc.kust == nil {
		kc.kust = map[string]*kustInfo{}
	}
	// What is refused depends on the scanned tree.
	key := env.Root + "\x00" + dir
	if k, ok := kc.kust[key]; ok {
		return k
	}
	k := analyzeKustomizationIn(dir, env)
	kc.kust[key] = k
	return k
}

// IsInput reports whether a plain file below a built kustomization
// is one of its inputs although no field lists it: kubebuilder layouts keep
// patches (partial objects) in a patches/ directory and list some only in
// comments ("#- patches/webhook_in_x.yaml"). Checking them as whole objects
// reports problems nobody deploys.
func (kc *Cache) IsInput(abs string, overlayDirs map[string]bool) bool {
	for d := filepath.Dir(filepath.Dir(abs)); ; d = filepath.Dir(d) {
		if overlayDirs[d] {
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return false
			}
			rel = filepath.ToSlash(rel)
			if strings.HasPrefix(rel, "patches/") {
				return true
			}
			text, ok := kc.kustText.Load(d)
			if !ok {
				b, _ := safefs.ReadFile(paths.KustomizationFile(d), decode.MaxFileSize)
				text, _ = kc.kustText.LoadOrStore(d, string(b))
			}
			return strings.Contains(text.(string), rel)
		}
		if parent := filepath.Dir(d); parent == d {
			return false
		}
	}
}

// Overlay is one kustomization directory to build.
type Overlay struct {
	Path string // display path
	Dir  string // filesystem path
	Env  Env
}

// overlayRender builds one overlay.
type overlayRender struct {
	u Overlay
	// helm renders helmCharts entries, in ctx (the overlay's context:
	// krusty reads files through originFS, which has none).
	helm    helm.Config
	ctx     context.Context
	cache   *Cache
	abs     string
	kfile   string // display path of the kustomization file
	sources map[string][]*model.Object
	fsys    *originFS
	closure Closure
	env     Env
	patches *[]patchDoc // read on first use
}

// Render builds an overlay; the charts of its helmCharts entries render
// through helm.Render with cfg (each with the entry's values alone).
// Everything that goes wrong is a located problem; a panic in Kustomize
// costs this overlay only.
func Render(ctx context.Context, u Overlay, cfg helm.Config, c *Cache) (objs []*model.Object, probs []model.Problem) {
	r := &overlayRender{u: u, helm: cfg, ctx: ctx, cache: c, abs: paths.Real(paths.Abs(u.Dir)), env: u.Env, sources: map[string][]*model.Object{}}
	r.kfile = paths.Display(paths.KustomizationFile(u.Dir))
	defer func() {
		if x := recover(); x != nil {
			objs = nil
			probs = []model.Problem{r.problem(0, fmt.Sprintf("building the overlay crashed: %v", x))}
		}
	}()
	return r.run(ctx)
}

func (r *overlayRender) problem(line int, msg string) model.Problem {
	return model.Problem{Rule: "render-error", File: r.kfile, Line: line, Message: msg, Origin: r.u.Path, Kind: model.SourceKustomize}
}

// notBuilt turns refused references into the overlay's problems.
func (r *overlayRender) notBuilt(probs []model.Problem) []model.Problem {
	out := make([]model.Problem, 0, len(probs))
	seen := map[string]bool{}
	for _, pr := range probs {
		key := fmt.Sprintf("%s:%d:%s", pr.File, pr.Line, pr.Message)
		if seen[key] {
			continue
		}
		seen[key] = true
		pr.Origin = r.u.Path
		pr.Message = fmt.Sprintf("overlay %s is not built: %s", r.u.Path, pr.Message)
		out = append(out, pr)
	}
	return out
}

func (r *overlayRender) run(ctx context.Context) ([]*model.Object, []model.Problem) {
	// Every reference of every kustomization involved is checked before
	// Kustomize runs: it must never see a remote address (it would run git
	// or fetch over HTTP) or a file outside the tree.
	r.closure = r.cache.Closure(r.abs, r.env)
	if len(r.closure.Problems) > 0 {
		return nil, r.notBuilt(r.closure.Problems)
	}
	if ctx.Err() != nil {
		return nil, nil
	}
	fsys := &originFS{FileSystem: filesys.MakeFsOnDisk(), r: r, resources: map[string]bool{}, checked: map[string]bool{}}
	for _, f := range r.closure.Resources {
		fsys.resources[f] = true
	}
	for _, f := range append(append([]string{}, r.closure.Files...), r.closure.Kustomizations...) {
		fsys.checked[paths.Real(f)] = true
	}
	r.fsys = fsys
	// Krusty has no option to replace its git cloner (it runs the git
	// binary); the checks above are what keeps it from being reached.
	if KrustyHook != nil {
		KrustyHook(r.abs)
	}
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(fsys, r.abs)
	if len(fsys.refused) > 0 || len(fsys.probs) > 0 {
		return nil, append(r.notBuilt(fsys.refused), fsys.probs...)
	}
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), sourceKey, SourceAnnotation)
		msg = strings.ReplaceAll(msg, r.abs+string(filepath.Separator), "")
		msg = strings.ReplaceAll(msg, filepath.Dir(r.abs)+string(filepath.Separator), "")
		return nil, []model.Problem{r.problem(r.errorLine(msg), fmt.Sprintf("overlay %s does not build: %s", r.u.Path, msg))}
	}
	// Objects are taken from Kustomize's nodes directly: serializing the
	// result and parsing it again would double the cost.
	var objs []*model.Object
	var probs []model.Problem
	for i, res := range m.Resources() {
		top := fromKNode(res.YNode(), map[*kyaml.Node]*yaml.Node{})
		if top == nil || top.Kind != yaml.MappingNode {
			continue
		}
		problem := func(_, _ int, format string, args ...any) {
			probs = append(probs, r.problem(0, fmt.Sprintf("overlay %s: output document %d: %s", r.u.Path, i+1, fmt.Sprintf(format, args...))))
		}
		data, err := decode.ToValue(top)
		if err != nil {
			problem(0, 0, "%v", err)
			continue
		}
		dm, ok := data.(map[string]any)
		if !ok {
			continue
		}
		src := model.Source{Kind: model.SourceKustomize, File: r.kfile, Doc: i, Origin: r.u.Path}
		objs = append(objs, decode.ObjectsFrom(top, dm, src, problem)...)
	}
	for _, o := range objs {
		r.locate(o)
	}
	return objs, probs
}

// errorLine is the line of the root kustomization's reference that a
// build error names, 0 when none does.
func (r *overlayRender) errorLine(msg string) int {
	best, bestLen := 0, 0
	for _, ref := range r.cache.kustomization(r.abs, r.env).refs {
		if len(ref.value) > bestLen && strings.Contains(msg, ref.value) {
			best, bestLen = ref.line, len(ref.value)
		}
	}
	return best
}

// locate points an object at the document it came from, using (and
// removing) the source annotation.
func (r *overlayRender) locate(o *model.Object) {
	o.Source.Line, o.Source.Col, o.Source.APIVersionLine = 0, 0, 0
	ann := takeAnnotation(o, sourceKey)
	// Copies of the annotation in the input or set by patches are not
	// ours: drop them, and never follow them.
	stripSourceAnnotations(o)
	file, idx, ok := parseSource(ann)
	_, isVirtual := r.fsys.virtual[file]
	if ok && !r.fsys.resources[file] && !isVirtual {
		ok = false // not a file of this overlay: forged or stale
	}
	if !ok {
		// Generated, or a patch replaced all annotations.
		r.locateByName(o)
		return
	}
	if o.Extra == nil {
		o.Extra = map[string]string{}
	}
	o.Extra[SourceAnnotation] = paths.Display(file) + "#" + strconv.Itoa(idx)
	if objs, ok := r.fsys.virtual[file]; ok {
		// Rendered from a helmCharts entry: keep the template's position.
		if idx < len(objs) {
			src := objs[idx]
			o.Source.File, o.Source.Line, o.Source.Col, o.Source.APIVersionLine = src.Source.File, src.Source.Line, src.Source.Col, src.Source.APIVersionLine
			o.Source.Values, o.Source.Doc = src.Source.Values, src.Source.Doc
		}
		return
	}
	o.Source.File = paths.Display(file)
	var inDoc []*model.Object
	for _, d := range r.docs(file) {
		if d.Source.Doc == idx {
			inDoc = append(inDoc, d)
		}
	}
	r.place(o, matchObject(inDoc, o))
}

func parseSource(v string) (file string, doc int, ok bool) {
	i := strings.LastIndexByte(v, '#')
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(v[i+1:])
	return v[:i], n, err == nil
}

// locateByName finds an object without a source annotation: in the
// resource files the overlay reads (by kind and name), else at the
// generator that made it.
func (r *overlayRender) locateByName(o *model.Object) {
	o.Source.File = r.kfile
	for _, f := range r.closure.Resources {
		src := matchObject(r.docs(f), o)
		if src != nil && src.Name != "" && strings.Contains(o.Name, src.Name) {
			o.Source.File = src.Source.File
			r.place(o, src)
			return
		}
	}
	for _, k := range r.closure.Kustomizations {
		if l := generatorLine(r.env, k, o.Name); l > 0 {
			o.Source.File, o.Source.Line, o.Source.Col = paths.Display(k), l, 1
			return
		}
	}
}

// place copies the position of src, the document o came from.
func (r *overlayRender) place(o, src *model.Object) {
	if src == nil {
		return
	}
	o.Source.Line, o.Source.Col, o.Source.APIVersionLine, o.Source.Doc = src.Source.Line, src.Source.Col, src.Source.APIVersionLine, src.Source.Doc
	if loc := r.patchLocator(o, src, o.Node); loc != nil {
		// Patched: each field is located where it was written (the base,
		// a patch, else the object's line), from the rendered node.
		o.Locator = loc
		if src.APIVersion != o.APIVersion && src.Source.APIVersionLine > 0 {
			o.Source.Line = src.Source.APIVersionLine
		}
		return
	}
	if src.APIVersion == o.APIVersion {
		// Unchanged enough: positions inside the object are taken from the
		// source file's document.
		o.Node = src.Node
		o.Source.Exact = true
	} else if src.Source.APIVersionLine > 0 {
		o.Source.Line = src.Source.APIVersionLine
	}
}

// docs returns the decoded documents of a source file (cached per build).
func (r *overlayRender) docs(file string) []*model.Object {
	docs, ok := r.sources[file]
	if !ok {
		if data, _, err := readInTree(r.env.Root, file, r.env.Limit); err == nil {
			docs, _ = decode.Bytes(data, decode.Options{File: paths.Display(file), Exact: true})
		}
		r.sources[file] = docs
	}
	return docs
}

// matchObject finds the source document of o among docs: same kind, and
// the name o has before prefixes and suffixes were added.
func matchObject(docs []*model.Object, o *model.Object) *model.Object {
	var best *model.Object
	for _, d := range docs {
		if d.Kind != o.Kind {
			continue
		}
		switch {
		case d.Name == o.Name:
			return d
		case d.Name != "" && strings.Contains(o.Name, d.Name) && (best == nil || len(d.Name) > len(best.Name)):
			best = d
		}
	}
	if best == nil {
		n := 0
		for _, d := range docs {
			if d.Kind == o.Kind {
				best = d
				n++
			}
		}
		if n != 1 {
			best = nil
		}
	}
	return best
}

// generatorLine finds the "name:" line of a generator in a kustomization
// (the generated name carries a hash suffix).
func generatorLine(env Env, kfile, name string) int {
	data, _, err := readInTree(env.Root, kfile, env.Limit)
	if err != nil {
		return 0
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return 0
	}
	top := root.Content[0]
	best, bestLen := 0, 0
	for _, f := range []string{"configMapGenerator", "secretGenerator"} {
		seq := decode.ValueOf(top, f)
		if seq == nil || seq.Kind != yaml.SequenceNode {
			continue
		}
		for _, it := range seq.Content {
			if it.Kind != yaml.MappingNode {
				continue
			}
			if v := decode.ValueOf(it, "name"); v != nil && v.Value != "" && strings.Contains(name, v.Value) && len(v.Value) > bestLen {
				best, bestLen = v.Line, len(v.Value)
			}
		}
	}
	return best
}

// takeAnnotation removes an annotation from the object's data and node and
// returns its value.
func takeAnnotation(o *model.Object, key string) string {
	md, _ := o.Data["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	v, ok := ann[key].(string)
	if !ok {
		return ""
	}
	delete(ann, key)
	if len(ann) == 0 {
		delete(md, "annotations")
	}
	if o.Node != nil {
		if mdn := decode.ValueOf(o.Node, "metadata"); mdn != nil && mdn.Kind == yaml.MappingNode {
			if an := decode.ValueOf(mdn, "annotations"); an != nil && an.Kind == yaml.MappingNode {
				removeKey(an, key)
				if len(an.Content) == 0 {
					removeKey(mdn, "annotations")
				}
			}
		}
	}
	return v
}

func removeKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// originFS is the filesystem Kustomize reads through. It adds the source
// annotation to the documents of resource files, and replaces helmCharts
// entries by virtual resource files holding the charts rendered through the
// Helm path (Kustomize would run the helm binary).
type originFS struct {
	filesys.FileSystem
	r         *overlayRender
	resources map[string]bool
	// checked are files the closure analysis read and checked already.
	checked map[string]bool
	probs   []model.Problem
	// refused are files Kustomize tried to read and was refused.
	refused []model.Problem
	// virtual files (absolute path) and the Helm objects in them.
	virtual map[string][]*model.Object
	text    map[string][]byte
}

// ReadFile is the only way Kustomize reads files: it gets regular files
// inside the scanned tree, within the size limit, without alias bombs.
func (f *originFS) ReadFile(p string) ([]byte, error) {
	p = filepath.Clean(p)
	if b, ok := f.text[p]; ok {
		return b, nil
	}
	data, real, err := f.read(p)
	if err != nil {
		return nil, err
	}
	if f.resources[real] {
		// Bases are shared between overlays: annotate each file once.
		// Objects are located at the file itself, not at a symlink to it.
		if b, ok := f.r.cache.annotated.Load(real); ok {
			return b.([]byte), nil
		}
		b := annotateSources(data, real)
		f.r.cache.annotated.Store(real, b)
		return b, nil
	}
	if !paths.IsKustomizationName(filepath.Base(p)) {
		return data, nil
	}
	out, perr := f.rewrite(filepath.Dir(p), data)
	if perr != nil {
		return data, nil //nolint:nilerr // krusty reports the syntax error itself
	}
	return out, nil
}

// read reads p for Kustomize. Refusals are recorded (the overlay is then
// not built); missing files and directories are plain errors, since
// Kustomize probes for files it may not find.
func (f *originFS) read(p string) ([]byte, string, error) {
	var (
		data []byte
		real string
		err  error
	)
	rp := paths.Real(p)
	if _, ok := f.r.cache.yamlChecked.Load(rp); ok || f.checked[rp] {
		data, real, err = readInTree(f.r.env.Root, p, f.r.env.Limit)
	} else {
		data, real, err = readYAMLInTree(f.r.env.Root, p, f.r.env.Limit)
		if err == nil {
			// Bases are shared between overlays: check each file once.
			f.r.cache.yamlChecked.Store(real, true)
		}
	}
	var r *kustRefusal
	if errors.As(err, &r) {
		f.refused = append(f.refused, model.Problem{Rule: "render-error", File: paths.Display(p), Line: r.line, Kind: model.SourceKustomize, Origin: f.r.u.Path,
			Message: fmt.Sprintf("%s %s", paths.Display(p), r.reason)})
	}
	return data, real, err
}

func (f *originFS) Exists(p string) bool {
	if _, ok := f.text[filepath.Clean(p)]; ok {
		return true
	}
	return f.FileSystem.Exists(p)
}

func (f *originFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	if _, ok := f.text[filepath.Clean(p)]; ok {
		d, _, err := f.FileSystem.CleanedAbs(filepath.Dir(p))
		return d, filepath.Base(p), err
	}
	return f.FileSystem.CleanedAbs(p)
}

// annotateSources adds the source annotation to every object document.
// Content it cannot parse is returned unchanged for Kustomize to report.
func annotateSources(data []byte, file string) []byte {
	var out bytes.Buffer
	for i, d := range decode.Split(data) {
		var doc yaml.Node
		if err := yaml.Unmarshal(d.Text, &doc); err != nil {
			return data
		}
		if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode {
			setAnnotation(doc.Content[0], sourceKey, file+"#"+strconv.Itoa(i))
		}
		b, err := yaml.Marshal(&doc)
		if err != nil {
			return data
		}
		out.WriteString("---\n")
		out.Write(b)
	}
	return out.Bytes()
}

func setAnnotation(top *yaml.Node, key, value string) {
	if decode.ValueOf(top, "kind") == nil {
		return // not an object
	}
	md := decode.ValueOf(top, "metadata")
	if md == nil || md.Kind != yaml.MappingNode {
		if md != nil {
			return // null or invalid metadata: leave it to Kustomize
		}
		top.Content = append(top.Content, strNode("metadata"), &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
		md = top.Content[len(top.Content)-1]
	}
	an := decode.ValueOf(md, "annotations")
	if an == nil || an.Kind != yaml.MappingNode {
		if an != nil {
			return
		}
		md.Content = append(md.Content, strNode("annotations"), &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
		an = md.Content[len(md.Content)-1]
	}
	// A copy in the input is dropped: only the annotation added here
	// locates objects.
	kept := an.Content[:0]
	for i := 0; i+1 < len(an.Content); i += 2 {
		if !isSourceKey(an.Content[i].Value) {
			kept = append(kept, an.Content[i], an.Content[i+1])
		}
	}
	kept = append(kept, strNode(key), strNode(value))
	an.Content = kept
}

func strNode(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// rewrite edits a kustomization as described on originFS.
func (f *originFS) rewrite(dir string, data []byte) ([]byte, error) {
	if !bytes.Contains(bytes.ToLower(data), []byte("helmchart")) {
		return data, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a mapping")
	}
	f.inlineHelmCharts(dir, doc.Content[0])
	return yaml.Marshal(&doc)
}

// inlineHelmCharts renders each helmCharts entry whose chart is vendored
// under the chart home and lists the result as a resource.
func (f *originFS) inlineHelmCharts(dir string, top *yaml.Node) {
	// Keys are matched as Kustomize decodes them: in any case, the last
	// one winning. A helm field left behind would make Kustomize inflate
	// the chart itself.
	seq := valueFold(top, "helmCharts")
	if g := valueFold(top, "helmChartInflationGenerator"); g != nil {
		f.probs = append(f.probs, f.r.problem(g.Line, "helmChartInflationGenerator is not supported; use helmCharts with the chart vendored under helmGlobals.chartHome"))
	}
	home := "charts"
	if g := valueFold(top, "helmGlobals"); g != nil && g.Kind == yaml.MappingNode {
		if h := valueFold(g, "chartHome"); h != nil && h.Value != "" {
			home = h.Value
		}
	}
	removeFold(top, "helmCharts")
	removeFold(top, "helmGlobals")
	removeFold(top, "helmChartInflationGenerator")
	if seq == nil {
		return
	}
	kfile := paths.Display(paths.KustomizationFile(dir))
	if seq.Kind != yaml.SequenceNode {
		f.probs = append(f.probs, model.Problem{Rule: "render-error", File: kfile, Line: seq.Line, Origin: f.r.u.Path, Kind: model.SourceKustomize, Message: "helmCharts must be a list of charts"})
		return
	}
	res := valueFold(top, "resources")
	if res != nil && res.Kind != yaml.SequenceNode {
		f.probs = append(f.probs, model.Problem{Rule: "render-error", File: kfile, Line: res.Line, Origin: f.r.u.Path, Kind: model.SourceKustomize, Message: "resources must be a list beside helmCharts"})
		return
	}
	if res == nil {
		top.Content = append(top.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "resources"}, &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
		res = top.Content[len(top.Content)-1]
	}
	for i, it := range seq.Content {
		var hc struct {
			Name                  string         `yaml:"name"`
			Repo                  string         `yaml:"repo"`
			ReleaseName           string         `yaml:"releaseName"`
			Namespace             string         `yaml:"namespace"`
			ValuesFile            string         `yaml:"valuesFile"`
			AdditionalValuesFiles []string       `yaml:"additionalValuesFiles"`
			ValuesInline          map[string]any `yaml:"valuesInline"`
			ValuesMerge           string         `yaml:"valuesMerge"`
			IncludeCRDs           bool           `yaml:"includeCRDs"`
		}
		if err := it.Decode(&hc); err != nil || hc.Name == "" {
			f.probs = append(f.probs, model.Problem{Rule: "render-error", File: kfile, Line: it.Line, Origin: f.r.u.Path, Kind: model.SourceKustomize, Message: "helmCharts entry has no chart name"})
			continue
		}
		chartDir := filepath.Join(refPath(dir, home), filepath.FromSlash(hc.Name))
		if real, err := filepath.EvalSymlinks(chartDir); err != nil || !paths.Within(f.r.env.Root, real) || !paths.Within(f.r.env.Root, chartDir) || !paths.IsChartDir(real) {
			msg := fmt.Sprintf("helmCharts entry %s is not vendored under %s (kupgrade-lint does not pull charts); run helm pull --untar into that directory and commit it", hc.Name, home)
			if hc.Repo != "" {
				msg = fmt.Sprintf("helmCharts entry %s from %s is not vendored under %s (kupgrade-lint does not pull charts); run helm pull --untar into that directory and commit it", hc.Name, hc.Repo, home)
			}
			f.probs = append(f.probs, model.Problem{Rule: "render-error", File: kfile, Line: it.Line, Origin: f.r.u.Path, Kind: model.SourceKustomize, Detail: hc.Name, Message: msg})
			continue
		}
		var files []string
		if hc.ValuesFile != "" && hc.ValuesMerge != "replace" {
			files = append(files, refPath(dir, hc.ValuesFile))
		}
		for _, v := range hc.AdditionalValuesFiles {
			files = append(files, refPath(dir, v))
		}
		// The closure analysis refused values files outside the tree;
		// check again where they are read.
		outside := false
		for _, v := range files {
			if real, err := filepath.EvalSymlinks(v); err != nil || !paths.Within(f.r.env.Root, real) {
				f.probs = append(f.probs, model.Problem{Rule: "render-error", File: kfile, Line: it.Line, Origin: f.r.u.Path, Kind: model.SourceKustomize, Detail: hc.Name,
					Message: fmt.Sprintf("helmCharts entry %s: values file %s is not a file inside the scanned tree; not read", hc.Name, paths.Display(v))})
				outside = true
			}
		}
		if outside {
			continue
		}
		rel := hc.ReleaseName
		if rel == "" {
			rel = "release-name"
		}
		cfg := f.r.helm
		cfg.Helm = helm.Options{ValuesFiles: files, Charts: map[string]helm.ChartConfig{chartDir: {ReleaseName: rel, Namespace: hc.Namespace}}}
		objs, probs, _ := helm.Render(f.r.ctx, helm.Chart{
			Path: paths.Display(chartDir), Dir: chartDir, Root: f.r.u.Env.Root,
			ValuesInline: hc.ValuesInline, SkipCRDs: !hc.IncludeCRDs,
		}, cfg)
		f.probs = append(f.probs, probs...)
		var buf bytes.Buffer
		for _, o := range objs {
			b, err := yaml.Marshal(o.Node)
			if err != nil {
				continue
			}
			buf.WriteString("---\n")
			buf.Write(b)
		}
		name := fmt.Sprintf(".kupgrade-lint-helmchart-%d.yaml", i)
		abs := filepath.Join(dir, name)
		if f.text == nil {
			f.text, f.virtual = map[string][]byte{}, map[string][]*model.Object{}
		}
		f.text[abs] = annotateSources(buf.Bytes(), abs)
		f.virtual[abs] = objs
		res.Content = append(res.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name})
	}
}

// fromKNode copies a node of Kustomize's YAML library (a fork of yaml.v3
// with the same node layout) into a yaml.v3 node.
func fromKNode(n *kyaml.Node, memo map[*kyaml.Node]*yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	if c, ok := memo[n]; ok {
		return c
	}
	c := &yaml.Node{
		Kind: yaml.Kind(n.Kind), Style: yaml.Style(n.Style), Tag: n.Tag, Value: n.Value, Anchor: n.Anchor,
		HeadComment: n.HeadComment, LineComment: n.LineComment, FootComment: n.FootComment,
	}
	memo[n] = c
	c.Alias = fromKNode(n.Alias, memo)
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, x := range n.Content {
			c.Content[i] = fromKNode(x, memo)
		}
	}
	return c
}
