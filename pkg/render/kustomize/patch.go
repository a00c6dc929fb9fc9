package kustomize

import (
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
)

// Positions through patches. An overlay's object is its base document
// changed by patches; a field is reported where its value was written: in
// the base document when the base has it with that value, else in the patch
// that set it. A value a transformer changed (images, namespace) stays
// where the base or a patch wrote the field; a field a transformer added
// (commonLabels) is at the object's own line. Kustomize's origin and
// transformer annotations would say which patch touched an object, but not
// which field; they also double build time. The patches are read here
// instead and matched by value, so a patch that did not apply can never
// claim a field.

// fileLoc is a position; file "" is the object's Source.File.
type fileLoc struct {
	file      string
	line, col int
}

// Locator maps every field path of a patched object to where it was
// written. It is computed in full at render time so it can cross the
// sandbox as plain data.
type Locator struct {
	at map[string]fileLoc
}

// LocateFile returns the position of path, or of its nearest enclosing
// field that has one; 0 when the object's own line is the answer.
func (k *Locator) LocateFile(path string) (string, int, int) {
	if l, ok := k.at[path]; ok {
		return l.file, l.line, l.col
	}
	// Deepest enclosing field that exists in the object.
	best, cur := fileLoc{}, ""
	for _, s := range model.ParsePath(path) {
		if s.IsIdx {
			cur = model.JoinIndex(cur, s.Index)
		} else {
			cur = model.JoinKey(cur, s.Key)
		}
		l, ok := k.at[cur]
		if !ok {
			break
		}
		best = l
	}
	return best.file, best.line, best.col
}

// Locate answers for positions in the object's own file only.
func (k *Locator) Locate(path string) (int, int) {
	f, l, c := k.LocateFile(path)
	if f != "" {
		return 0, 0
	}
	return l, c
}

// patchDoc is one strategic-merge patch document or one JSON6902 patch.
type patchDoc struct {
	file string // display path
	off  int    // added to node lines (inline patches)
	coff int    // added to node columns (inline patches)
	root *yaml.Node
	json bool
	// target selects objects (patches, patchesJson6902); strategic-merge
	// documents without one select by their own kind and name.
	kind, name string
}

// patchDocs reads the patches of every kustomization of the overlay, bases
// first (the order Kustomize applies them in).
func (r *overlayRender) patchDocs() []patchDoc {
	if r.patches != nil {
		return *r.patches
	}
	var out []patchDoc
	ks := r.closure.Kustomizations
	for i := len(ks) - 1; i >= 0; i-- {
		out = append(out, r.kustPatches(ks[i])...)
	}
	r.patches = &out
	return out
}

func (r *overlayRender) kustPatches(kfile string) []patchDoc {
	data, _, err := readInTree(r.env.Root, kfile, r.env.Limit)
	if err != nil {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	top := resolveAlias(doc.Content[0])
	dir := filepath.Dir(kfile)
	kdisp := paths.Display(kfile)
	var out []patchDoc
	// inline reads patch text written in the kustomization; lines are
	// known only for block literals and single lines.
	lines := strings.Split(string(data), "\n")
	inline := func(n *yaml.Node, kind, name string, json bool) {
		off, coff := -1, 0
		switch {
		case n.Style&yaml.LiteralStyle != 0 && n.Line < len(lines):
			off = n.Line
			first := lines[n.Line]
			coff = len(first) - len(strings.TrimLeft(first, " "))
		case !strings.Contains(strings.TrimSpace(n.Value), "\n"):
			off, coff = n.Line-1, n.Column-1
			if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
				coff++
			}
		}
		if off < 0 {
			return
		}
		for _, p := range parsePatch([]byte(n.Value), kdisp, off, kind, name, json) {
			p.coff = coff
			out = append(out, p)
		}
	}
	file := func(p, kind, name string, json bool) {
		abs := refPath(dir, p)
		b, _, err := readInTree(r.env.Root, abs, r.env.Limit)
		if err != nil {
			return
		}
		out = append(out, parsePatch(b, paths.Display(abs), 0, kind, name, json)...)
	}
	for _, kv := range mappingPairs(top) {
		field, v := kv[0].Value, kv[1]
		switch field {
		case "patchesStrategicMerge":
			for _, it := range listOf(v) {
				if it.Kind != yaml.ScalarNode {
					continue
				}
				if isInlineYAML(it.Value) {
					inline(it, "", "", false)
				} else {
					file(it.Value, "", "", false)
				}
			}
		case "patches", "patchesJson6902":
			for _, it := range listOf(v) {
				var kind, name, path string
				var text *yaml.Node
				for _, f := range mappingPairs(it) {
					switch f[0].Value {
					case "path":
						path = f[1].Value
					case "patch":
						text = f[1]
					case "target":
						for _, t := range mappingPairs(f[1]) {
							switch t[0].Value {
							case "kind":
								kind = t[1].Value
							case "name":
								name = t[1].Value
							}
						}
					}
				}
				json := field == "patchesJson6902"
				switch {
				case text != nil && text.Kind == yaml.ScalarNode:
					inline(text, kind, name, json)
				case path != "":
					file(path, kind, name, json)
				}
			}
		}
	}
	return out
}

// parsePatch splits patch text into documents; a document that is a list
// is a JSON6902 patch whatever field listed it.
func parsePatch(data []byte, file string, off int, kind, name string, json bool) []patchDoc {
	var out []patchDoc
	for _, d := range decode.Split(data) {
		var doc yaml.Node
		if yaml.Unmarshal(d.Text, &doc) != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
			continue
		}
		root := resolveAlias(doc.Content[0])
		p := patchDoc{file: file, off: off + d.Line - 1, root: root, json: json || root.Kind == yaml.SequenceNode, kind: kind, name: name}
		if !p.json && root.Kind != yaml.MappingNode {
			continue
		}
		out = append(out, p)
	}
	return out
}

// selects reports whether the patch may apply to o (src is its base
// document). Matching is lenient: a patch only claims fields whose value
// it holds.
func (p *patchDoc) selects(o, src *model.Object) bool {
	kind, name := p.kind, p.name
	if !p.json && kind == "" && name == "" {
		if v := decode.ValueOf(p.root, "kind"); v != nil {
			kind = v.Value
		}
		if md := decode.ValueOf(p.root, "metadata"); md != nil && md.Kind == yaml.MappingNode {
			if v := decode.ValueOf(md, "name"); v != nil {
				name = v.Value
			}
		}
	}
	if kind != "" && kind != o.Kind {
		return false
	}
	if name == "" || name == o.Name || name == src.Name {
		return true
	}
	re, err := regexp.Compile("^(?:" + name + ")$")
	return err == nil && (re.MatchString(o.Name) || re.MatchString(src.Name))
}

// cand is a node of the base or of a patch at the position of an output
// node, with the line to report for it.
type cand struct {
	n         *yaml.Node
	file      string
	line, col int
	off, coff int
}

type locBuilder struct {
	at map[string]fileLoc
	// json are JSON6902 values by the output path they were written at.
	json map[string][]cand
}

// patchLocator builds the locator of an overlay object whose base document
// is src, or returns nil when no patch applies to it.
func (r *overlayRender) patchLocator(o, src *model.Object, out *yaml.Node) *Locator {
	var docs []patchDoc
	for _, p := range r.patchDocs() {
		if p.selects(o, src) {
			docs = append(docs, p)
		}
	}
	if len(docs) == 0 || out == nil || src.Node == nil {
		return nil
	}
	b := &locBuilder{at: map[string]fileLoc{}, json: map[string][]cand{}}
	var patches []cand
	for _, p := range docs {
		if !p.json {
			patches = append(patches, cand{n: p.root, file: p.file, off: p.off, coff: p.coff, line: p.root.Line + p.off, col: p.root.Column + p.coff})
			continue
		}
		for _, op := range listOf(p.root) {
			var kind, ptr string
			var val, valKey *yaml.Node
			for _, f := range mappingPairs(op) {
				switch f[0].Value {
				case "op":
					kind = f[1].Value
				case "path":
					ptr = f[1].Value
				case "value":
					valKey, val = f[0], f[1]
				}
			}
			if (kind != "add" && kind != "replace") || val == nil {
				continue
			}
			if path, ok := pointerIn(out, ptr); ok {
				b.json[path] = append(b.json[path], cand{n: val, file: p.file, off: p.off, coff: p.coff, line: valKey.Line + p.off, col: valKey.Column + p.coff})
			}
		}
	}
	base := &cand{n: resolveAlias(src.Node), off: src.Source.LineOffset}
	if base.n.Kind == yaml.DocumentNode && len(base.n.Content) > 0 {
		base.n = resolveAlias(base.n.Content[0])
	}
	b.walk(resolveAlias(out), "", base, patches)
	return &Locator{at: b.at}
}

// pointerIn converts a JSON pointer to a field path of the output object;
// "-" (append) is the list's last item.
func pointerIn(out *yaml.Node, ptr string) (string, bool) {
	if !strings.HasPrefix(ptr, "/") {
		return "", false
	}
	path, cur := "", resolveAlias(out)
	for _, raw := range strings.Split(ptr[1:], "/") {
		k := strings.ReplaceAll(strings.ReplaceAll(raw, "~1", "/"), "~0", "~")
		switch {
		case cur == nil:
			return "", false
		case cur.Kind == yaml.SequenceNode:
			i := len(cur.Content) - 1
			if k != "-" {
				n, err := strconv.Atoi(k)
				if err != nil {
					return "", false
				}
				i = n
			}
			if i < 0 || i >= len(cur.Content) {
				return "", false
			}
			path, cur = model.JoinIndex(path, i), resolveAlias(cur.Content[i])
		case cur.Kind == yaml.MappingNode:
			v := decode.ValueOf(cur, k)
			if v == nil {
				return "", false
			}
			path, cur = model.JoinKey(path, k), resolveAlias(v)
		default:
			return "", false
		}
	}
	return path, true
}

// walk records the position of out (at path) and of everything in it.
// base is the base document's node at the same place (nil if none);
// patches are the patch nodes there, in the order they applied.
func (b *locBuilder) walk(out *yaml.Node, path string, base *cand, patches []cand) {
	if js := b.json[path]; len(js) > 0 {
		patches = append(append([]cand{}, patches...), js...)
	}
	if path != "" {
		b.at[path] = origin(out, base, patches)
	}
	switch out.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(out.Content); i += 2 {
			k := out.Content[i].Value
			var cb *cand
			if base != nil {
				cb = child(*base, k)
			}
			var cp []cand
			for _, p := range patches {
				if c := child(p, k); c != nil {
					cp = append(cp, *c)
				}
			}
			b.walk(resolveAlias(out.Content[i+1]), model.JoinKey(path, k), cb, cp)
		}
	case yaml.SequenceNode:
		for i, it := range out.Content {
			it = resolveAlias(it)
			var cb *cand
			if base != nil {
				cb = item(*base, it, i, len(out.Content))
			}
			var cp []cand
			for _, p := range patches {
				if c := item(p, it, i, len(out.Content)); c != nil {
					cp = append(cp, *c)
				}
			}
			b.walk(it, model.JoinIndex(path, i), cb, cp)
		}
	}
}

// origin is where out was written: the base if it holds the same scalar
// (or a node of the same kind), else the last patch that does, else the
// field in the base or a patch whose value a transformer changed.
func origin(out *yaml.Node, base *cand, patches []cand) fileLoc {
	same := func(c *cand) bool {
		if c.n.Kind != out.Kind {
			return false
		}
		return out.Kind != yaml.ScalarNode || c.n.Value == out.Value
	}
	if base != nil && same(base) {
		return fileLoc{line: base.line, col: base.col}
	}
	for i := len(patches) - 1; i >= 0; i-- {
		if same(&patches[i]) {
			return fileLoc{file: patches[i].file, line: patches[i].line, col: patches[i].col}
		}
	}
	// A transformer (images, namespace, labels) changed the value: the
	// field is still where the base or a patch wrote it, as in an
	// unpatched object.
	if base != nil && base.n.Kind == out.Kind {
		return fileLoc{line: base.line, col: base.col}
	}
	for i := len(patches) - 1; i >= 0; i-- {
		if patches[i].n.Kind == out.Kind {
			return fileLoc{file: patches[i].file, line: patches[i].line, col: patches[i].col}
		}
	}
	return fileLoc{}
}

// child is the value of key k in c's mapping, reported at the key.
func child(c cand, k string) *cand {
	if c.n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(c.n.Content); i += 2 {
		if c.n.Content[i].Value == k {
			key := c.n.Content[i]
			return &cand{n: resolveAlias(c.n.Content[i+1]), file: c.file, off: c.off, coff: c.coff, line: key.Line + c.off, col: key.Column + c.coff}
		}
	}
	return nil
}

// item finds the item of c's list that out's item it (index i of n) came
// from: by name for objects that have one (containers, volumes, ports),
// by value for scalars, else by index when no item was added or removed.
func item(c cand, it *yaml.Node, i, n int) *cand {
	if c.n.Kind != yaml.SequenceNode {
		return nil
	}
	at := func(x *yaml.Node) *cand {
		return &cand{n: x, file: c.file, off: c.off, coff: c.coff, line: x.Line + c.off, col: x.Column + c.coff}
	}
	switch {
	case it.Kind == yaml.MappingNode && decode.ValueOf(it, "name") != nil:
		want := decode.ValueOf(it, "name").Value
		for _, x := range c.n.Content {
			x = resolveAlias(x)
			if x.Kind == yaml.MappingNode {
				if v := decode.ValueOf(x, "name"); v != nil && v.Value == want {
					return at(x)
				}
			}
		}
		return nil
	case it.Kind == yaml.ScalarNode:
		for _, x := range c.n.Content {
			if x = resolveAlias(x); x.Kind == yaml.ScalarNode && x.Value == it.Value {
				return at(x)
			}
		}
		return nil
	case it.Kind == yaml.MappingNode:
		// Items keyed by another field (ports by containerPort): the
		// item whose fields all hold the output's values.
		for _, x := range c.n.Content {
			if x = resolveAlias(x); x.Kind == yaml.MappingNode && len(x.Content) > 0 && subset(x, it, 0) {
				return at(x)
			}
		}
	}
	if len(c.n.Content) == n {
		return at(resolveAlias(c.n.Content[i]))
	}
	return nil
}

// subset reports whether every field of a is in b with the same value.
func subset(a, b *yaml.Node, depth int) bool {
	a, b = resolveAlias(a), resolveAlias(b)
	if a.Kind != b.Kind || depth > 50 {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return a.Value == b.Value
	case yaml.MappingNode:
		for i := 0; i+1 < len(a.Content); i += 2 {
			v := decode.ValueOf(b, a.Content[i].Value)
			if v == nil || !subset(a.Content[i+1], v, depth+1) {
				return false
			}
		}
		return true
	case yaml.SequenceNode:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := range a.Content {
			if !subset(a.Content[i], b.Content[i], depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// Loc is one entry of a Locator as plain data: the field path and where it
// was written (File "" is the object's own file).
type Loc struct {
	Path, File string
	Line, Col  int
}

// Locs lists a locator's entries in path order (for the sandbox wire).
func (k *Locator) Locs() []Loc {
	out := make([]Loc, 0, len(k.at))
	for p, l := range k.at {
		out = append(out, Loc{Path: p, File: l.file, Line: l.line, Col: l.col})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// NewLocator is the inverse of Locs.
func NewLocator(locs []Loc) *Locator {
	k := &Locator{at: make(map[string]fileLoc, len(locs))}
	for _, l := range locs {
		k.at[l.Path] = fileLoc{file: l.File, line: l.Line, col: l.Col}
	}
	return k
}
