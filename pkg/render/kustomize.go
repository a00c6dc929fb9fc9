package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// KustomizeOptions configure overlay rendering. Nothing is configurable
// yet: load restrictions stay root-only and plugins stay off.
type KustomizeOptions struct{}

// originAnnotation is where Kustomize records the file an object came from
// when buildMetadata includes originAnnotations.
const originAnnotation = "config.kubernetes.io/origin"

// kustInfo is what one kustomization file references.
type kustInfo struct {
	dir       string // absolute directory
	file      string // absolute kustomization file
	component bool
	// files are local files it reads directly; dirs are the local
	// directories it builds on (resources that are directories, bases,
	// components).
	files []string
	dirs  []string
	// remote lists references that would need the network.
	remote []model.Problem
	// helm lists helmCharts entries.
	helm []helmChartRef
	// refs are every reference with its line, to locate build errors.
	refs []kustRef
}

type kustRef struct {
	value string
	line  int
}

type helmChartRef struct {
	name, repo string
	line       int
	node       *yaml.Node
}

// kustFields lists the kustomization fields that hold file or directory
// references, as plain strings.
var kustListFields = []string{"resources", "bases", "components", "crds", "configurations", "generators", "transformers", "validators", "patchesStrategicMerge"}

// analyzeKustomization reads the references of the kustomization in dir.
// It never fails: an unreadable file yields an info with no references
// (krusty reports the error when the overlay is built).
func analyzeKustomization(dir string) *kustInfo {
	k := &kustInfo{dir: dir, file: KustomizationFile(dir)}
	if k.file == "" {
		return k
	}
	root := readYAMLNode(k.file)
	if root == nil || root.Content[0].Kind != yaml.MappingNode {
		return k
	}
	top := root.Content[0]
	if v := valueOf(top, "kind"); v != nil && v.Value == "Component" {
		k.component = true
	}
	ref := func(field string, n *yaml.Node) {
		if n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
			return
		}
		s := n.Value
		if field == "patchesStrategicMerge" && strings.Contains(s, "\n") {
			return // an inline patch, not a path
		}
		if field == "files" {
			// configMapGenerator files may be "key=path".
			if i := strings.IndexByte(s, '='); i >= 0 {
				s = s[i+1:]
			}
		}
		k.addRef(field, s, n.Line)
	}
	for _, f := range kustListFields {
		if seq := valueOf(top, f); seq != nil && seq.Kind == yaml.SequenceNode {
			for _, it := range seq.Content {
				ref(f, it)
			}
		}
	}
	for _, f := range []string{"patches", "patchesJson6902", "replacements"} {
		if seq := valueOf(top, f); seq != nil && seq.Kind == yaml.SequenceNode {
			for _, it := range seq.Content {
				if it.Kind == yaml.MappingNode {
					ref(f, valueOf(it, "path"))
				}
			}
		}
	}
	for _, f := range []string{"configMapGenerator", "secretGenerator"} {
		if seq := valueOf(top, f); seq != nil && seq.Kind == yaml.SequenceNode {
			for _, it := range seq.Content {
				if it.Kind != yaml.MappingNode {
					continue
				}
				for _, sub := range []string{"files", "envs"} {
					if s := valueOf(it, sub); s != nil && s.Kind == yaml.SequenceNode {
						for _, x := range s.Content {
							ref("files", x)
						}
					}
				}
				ref("env", valueOf(it, "env"))
			}
		}
	}
	if o := valueOf(top, "openapi"); o != nil && o.Kind == yaml.MappingNode {
		ref("openapi", valueOf(o, "path"))
	}
	if seq := valueOf(top, "helmCharts"); seq != nil && seq.Kind == yaml.SequenceNode {
		for _, it := range seq.Content {
			if it.Kind != yaml.MappingNode {
				continue
			}
			h := helmChartRef{line: it.Line, node: it}
			if v := valueOf(it, "name"); v != nil {
				h.name, h.line = v.Value, v.Line
			}
			if v := valueOf(it, "repo"); v != nil {
				h.repo = v.Value
			}
			k.helm = append(k.helm, h)
		}
	}
	return k
}

func (k *kustInfo) addRef(field, s string, line int) {
	k.refs = append(k.refs, kustRef{s, line})
	if isRemoteRef(k.dir, s) {
		k.remote = append(k.remote, model.Problem{
			Rule: "render-error", File: displayPath(k.file), Line: line, Kind: model.SourceKustomize, Detail: s,
			Message: fmt.Sprintf("%s entry %q is a remote reference, which is not fetched (rendering is offline); vendor it into the repository", field, s),
		})
		return
	}
	p := filepath.Join(k.dir, filepath.FromSlash(s))
	st, err := os.Stat(p)
	if err != nil {
		return
	}
	if st.IsDir() {
		if KustomizationFile(p) != "" {
			k.dirs = append(k.dirs, p)
		}
		return
	}
	k.files = append(k.files, p)
}

// isRemoteRef reports whether a kustomization reference points outside the
// local filesystem: a URL, an scp-like git address, or a go-getter style
// "host/org/repo//path?ref=" that does not exist locally.
func isRemoteRef(dir, s string) bool {
	if strings.Contains(s, "://") || strings.HasPrefix(s, "git@") || strings.HasPrefix(s, "git::") {
		return true
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(s))); err == nil {
		return false
	}
	if strings.Contains(s, "?ref=") || strings.Contains(s, "?version=") || strings.Contains(s, "?submodules=") || strings.Contains(s, "_git/") {
		return true
	}
	first, _, hasSlash := strings.Cut(s, "/")
	return hasSlash && first != "." && first != ".." && strings.Contains(first, ".") && !strings.HasSuffix(first, ".yaml") && !strings.HasSuffix(first, ".yml")
}

// kustClosure walks a kustomization and its local bases.
func kustClosure(p *plan, dir string) (files []string, dirs []string, remote []model.Problem) {
	seen := map[string]bool{}
	var walk func(d string)
	walk = func(d string) {
		if seen[d] {
			return
		}
		seen[d] = true
		k := p.kustomization(d)
		files = append(files, k.files...)
		remote = append(remote, k.remote...)
		for _, sub := range k.dirs {
			dirs = append(dirs, sub)
			walk(sub)
		}
	}
	walk(dir)
	return files, dirs, remote
}

// kustomization returns the (cached) analysis of dir.
func (p *plan) kustomization(dir string) *kustInfo {
	p.kustMu.Lock()
	defer p.kustMu.Unlock()
	if p.kust == nil {
		p.kust = map[string]*kustInfo{}
	}
	if k, ok := p.kust[dir]; ok {
		return k
	}
	k := analyzeKustomization(dir)
	p.kust[dir] = k
	return k
}

// claimInputs removes plain files that an overlay in the plan uses, and
// overlays that other overlays use as bases (and Components), so each is
// reported once: a base's objects are reported at the base's files through
// the overlays that build on it. Overlays that cannot be built because they
// reference remote resources claim nothing.
func claimInputs(p *plan, opts Options) {
	claimedFiles := map[string]bool{}
	baseDirs := map[string]bool{}
	for _, u := range p.units {
		if u.kind != model.SourceKustomize {
			continue
		}
		abs := absPath(u.fs)
		files, dirs, remote := kustClosure(p, abs)
		if len(remote) > 0 {
			// The overlay cannot be built; its local inputs stay plain
			// files and its bases render on their own.
			continue
		}
		for _, f := range files {
			claimedFiles[f] = true
		}
		for _, d := range dirs {
			if d != abs {
				baseDirs[d] = true
			}
		}
	}
	out := p.units[:0]
	for _, u := range p.units {
		switch u.kind {
		case model.SourcePlain:
			if claimedFiles[absPath(u.fs)] {
				continue
			}
		case model.SourceKustomize:
			abs := absPath(u.fs)
			if !opts.RenderAll && (baseDirs[abs] || p.kustomization(abs).component) {
				continue
			}
		}
		out = append(out, u)
	}
	p.units = out
}

func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	return a
}

// overlayRender builds one overlay.
type overlayRender struct {
	u       unit
	opts    Options
	plan    *plan
	abs     string
	kfile   string // display path of the kustomization file
	sources map[string][]*model.Object
}

func renderOverlay(ctx context.Context, u unit, opts Options, p *plan) (objs []*model.Object, probs []model.Problem) {
	r := &overlayRender{u: u, opts: opts, plan: p, abs: absPath(u.fs), sources: map[string][]*model.Object{}}
	r.kfile = displayPath(KustomizationFile(u.fs))
	defer func() {
		if x := recover(); x != nil {
			objs = nil
			probs = []model.Problem{r.problem(0, fmt.Sprintf("building the overlay crashed: %v", x))}
		}
	}()
	return r.run(ctx)
}

func (r *overlayRender) problem(line int, msg string) model.Problem {
	return model.Problem{Rule: "render-error", File: r.kfile, Line: line, Message: msg, Origin: r.u.path, Kind: model.SourceKustomize}
}

func (r *overlayRender) run(ctx context.Context) ([]*model.Object, []model.Problem) {
	_, _, remote := kustClosure(r.plan, r.abs)
	if len(remote) > 0 {
		out := make([]model.Problem, len(remote))
		for i, pr := range remote {
			pr.Origin = r.u.path
			pr.Message = fmt.Sprintf("overlay %s is not built: %s", r.u.path, pr.Message)
			out[i] = pr
		}
		return nil, out
	}
	if ctx.Err() != nil {
		return nil, nil
	}
	fsys := &originFS{FileSystem: filesys.MakeFsOnDisk(), root: KustomizationFile(r.abs), r: r}
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(fsys, r.abs)
	if fsys.err != nil {
		return nil, []model.Problem{*fsys.err}
	}
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), r.abs+string(filepath.Separator), "")
		msg = strings.ReplaceAll(msg, filepath.Dir(r.abs)+string(filepath.Separator), "")
		return nil, []model.Problem{r.problem(r.errorLine(msg), fmt.Sprintf("overlay %s does not build: %s", r.u.path, msg))}
	}
	out, err := m.AsYaml()
	if err != nil {
		return nil, []model.Problem{r.problem(0, fmt.Sprintf("overlay %s: cannot serialize the result: %v", r.u.path, err))}
	}
	objs, probs := DecodeBytes(out, DecodeOptions{File: r.kfile, Kind: model.SourceKustomize, Origin: r.u.path})
	for i := range probs {
		probs[i].Rule = "render-error"
		probs[i].Line = 0
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
	for _, ref := range r.plan.kustomization(r.abs).refs {
		if len(ref.value) > bestLen && strings.Contains(msg, ref.value) {
			best, bestLen = ref.line, len(ref.value)
		}
	}
	return best
}

// locate points an object at the file it came from, using (and removing)
// the origin annotation.
func (r *overlayRender) locate(o *model.Object) {
	o.Source.Line, o.Source.Col, o.Source.APIVersionLine = 0, 0, 0
	origin := takeAnnotation(o, originAnnotation)
	if origin == "" {
		return
	}
	if o.Extra == nil {
		o.Extra = map[string]string{}
	}
	o.Extra[originAnnotation] = origin
	var or struct {
		Path         string `yaml:"path"`
		Repo         string `yaml:"repo"`
		ConfiguredIn string `yaml:"configuredIn"`
	}
	if yaml.Unmarshal([]byte(origin), &or) != nil || or.Repo != "" {
		return
	}
	if or.Path == "" {
		o.Source.File = r.kfile
		if or.ConfiguredIn != "" {
			// Generated objects: point at the generator's kustomization.
			f := filepath.Join(r.abs, filepath.FromSlash(or.ConfiguredIn))
			o.Source.File = displayPath(f)
			o.Source.Line = generatorLine(f, o.Name)
			o.Source.Col = 1
		}
		return
	}
	f := filepath.Join(r.abs, filepath.FromSlash(or.Path))
	o.Source.File = displayPath(f)
	src := r.findSource(f, o)
	if src == nil {
		return
	}
	o.Source.Line, o.Source.Col, o.Source.APIVersionLine, o.Source.Doc = src.Source.Line, src.Source.Col, src.Source.APIVersionLine, src.Source.Doc
	if src.APIVersion == o.APIVersion {
		// Unchanged enough: positions inside the object are taken from the
		// source file's document.
		o.Node = src.Node
		o.Source.Exact = true
	} else if src.Source.APIVersionLine > 0 {
		o.Source.Line = src.Source.APIVersionLine
	}
}

// findSource finds the document of file that produced o: same kind, and
// the name o has after prefixes and suffixes were added.
func (r *overlayRender) findSource(file string, o *model.Object) *model.Object {
	docs, ok := r.sources[file]
	if !ok {
		if data, err := os.ReadFile(file); err == nil {
			docs, _ = DecodeBytes(data, DecodeOptions{File: displayPath(file), Exact: true})
		}
		r.sources[file] = docs
	}
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
func generatorLine(kfile, name string) int {
	root := readYAMLNode(kfile)
	if root == nil || root.Content[0].Kind != yaml.MappingNode {
		return 0
	}
	top := root.Content[0]
	best, bestLen := 0, 0
	for _, f := range []string{"configMapGenerator", "secretGenerator"} {
		seq := valueOf(top, f)
		if seq == nil || seq.Kind != yaml.SequenceNode {
			continue
		}
		for _, it := range seq.Content {
			if it.Kind != yaml.MappingNode {
				continue
			}
			if v := valueOf(it, "name"); v != nil && v.Value != "" && strings.Contains(name, v.Value) && len(v.Value) > bestLen {
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
		if mdn := valueOf(o.Node, "metadata"); mdn != nil && mdn.Kind == yaml.MappingNode {
			if an := valueOf(mdn, "annotations"); an != nil && an.Kind == yaml.MappingNode {
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

// originFS presents the root kustomization with originAnnotations enabled,
// so every output object names the file it came from.
type originFS struct {
	filesys.FileSystem
	root string
	r    *overlayRender
	err  *model.Problem
}

func (f *originFS) ReadFile(p string) ([]byte, error) {
	data, err := f.FileSystem.ReadFile(p)
	if err != nil || filepath.Clean(p) != filepath.Clean(f.root) {
		return data, err
	}
	out, perr := withOriginAnnotations(data)
	if perr != nil {
		return data, nil // krusty reports the syntax error itself
	}
	return out, nil
}

// withOriginAnnotations adds originAnnotations to buildMetadata.
func withOriginAnnotations(data []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a mapping")
	}
	top := root.Content[0]
	bm := valueOf(top, "buildMetadata")
	if bm == nil {
		top.Content = append(top.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "buildMetadata"},
			&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
		bm = top.Content[len(top.Content)-1]
	}
	if bm.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("buildMetadata is not a list")
	}
	for _, c := range bm.Content {
		if c.Value == "originAnnotations" {
			return data, nil
		}
	}
	bm.Content = append(bm.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "originAnnotations"})
	return yaml.Marshal(&root)
}

// sortedKeys is a small helper for deterministic iteration.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
