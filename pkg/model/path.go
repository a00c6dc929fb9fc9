package model

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Field paths are dotted (spec.template.spec.containers[0].image). Keys that
// are not plain identifiers are bracketed and quoted:
// metadata.annotations["kubernetes.io/ingress.class"].

// PathSegment is one step of a field path: a map key or a list index.
type PathSegment struct {
	Key   string
	Index int
	IsIdx bool
}

// ParsePath splits a field path into segments. It never fails: text it cannot
// read becomes a plain key.
func ParsePath(p string) []PathSegment {
	var segs []PathSegment
	for i := 0; i < len(p); {
		switch p[i] {
		case '.':
			i++
		case '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				segs = append(segs, PathSegment{Key: p[i:]})
				return segs
			}
			inner := p[i+1 : i+end]
			if strings.HasPrefix(inner, `"`) {
				// Quoted keys may contain ']' — find the closing quote.
				q := strings.Index(p[i+2:], `"]`)
				if q >= 0 {
					if k, err := strconv.Unquote(p[i+1 : i+2+q+1]); err == nil {
						segs = append(segs, PathSegment{Key: k})
						i += 2 + q + 2
						continue
					}
				}
				segs = append(segs, PathSegment{Key: strings.Trim(inner, `"`)})
			} else if n, err := strconv.Atoi(inner); err == nil {
				segs = append(segs, PathSegment{Index: n, IsIdx: true})
			} else {
				segs = append(segs, PathSegment{Key: inner})
			}
			i += end + 1
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			segs = append(segs, PathSegment{Key: p[i:j]})
			i = j
		}
	}
	return segs
}

// JoinKey appends a map key to a path, quoting it when needed.
func JoinKey(path, key string) string {
	plain := key != ""
	for _, r := range key {
		ident := r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !ident {
			plain = false
			break
		}
	}
	if !plain {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// JoinIndex appends a list index to a path.
func JoinIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// PointerToPath converts a JSON pointer (/spec/replicas) to a field path.
func PointerToPath(ptr string) string {
	if ptr == "" || ptr == "/" {
		return ""
	}
	out := ""
	for _, raw := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		k := strings.ReplaceAll(strings.ReplaceAll(raw, "~1", "/"), "~0", "~")
		if n, err := strconv.Atoi(k); err == nil && out != "" {
			out = JoinIndex(out, n)
			continue
		}
		out = JoinKey(out, k)
	}
	return out
}

// NodeAt returns the deepest YAML node along path and whether the whole path
// was found. For a map key it returns the key node (its line is the field's
// line); for a list element, the element.
func NodeAt(root *yaml.Node, path string) (*yaml.Node, bool) {
	n := root
	for n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n == nil {
		return nil, false
	}
	var last = n
	cur := n
	for _, s := range ParsePath(path) {
		for cur.Kind == yaml.AliasNode && cur.Alias != nil {
			cur = cur.Alias
		}
		switch {
		case s.IsIdx && cur.Kind == yaml.SequenceNode && s.Index >= 0 && s.Index < len(cur.Content):
			cur = cur.Content[s.Index]
			last = cur
		case !s.IsIdx && cur.Kind == yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(cur.Content); i += 2 {
				if cur.Content[i].Value == s.Key {
					last = cur.Content[i]
					cur = cur.Content[i+1]
					found = true
					break
				}
			}
			if !found {
				return last, false
			}
		default:
			return last, false
		}
	}
	return last, true
}

// PosOf returns the line and column of path inside the object, falling back
// to the nearest enclosing field and then to the object's start.
func (o *Object) PosOf(path string) (line, col int) {
	// Lines inside rendered output that could not be mapped back do not
	// correspond to the source file: report the object's own position.
	if o.Node != nil && path != "" && o.Source.Exact {
		if n, _ := NodeAt(o.Node, path); n != nil && n.Line > 0 {
			return n.Line + o.Source.LineOffset, n.Column
		}
	}
	if o.Node == nil && o.Pos != nil && path != "" && o.Source.Exact {
		if l, c := o.Pos.At(path); l > 0 {
			return l + o.Source.LineOffset, c
		}
	}
	if path != "" && !o.Source.Exact && o.Locator != nil {
		if l, c := o.Locator.Locate(path); l > 0 {
			return l, c
		}
	}
	return o.Source.Line, o.Source.Col
}

// FilePosOf is PosOf with the file: a field that a Kustomize patch set is
// reported in the patch's file, everything else in Source.File.
func (o *Object) FilePosOf(path string) (file string, line, col int) {
	if fl, ok := o.Locator.(FileLocator); ok && path != "" && !o.Source.Exact {
		if f, l, c := fl.LocateFile(path); l > 0 {
			if f == "" {
				f = o.Source.File
			}
			return f, l, c
		}
	}
	line, col = o.PosOf(path)
	return o.Source.File, line, col
}

// Get walks Data along path and returns the value found.
func (o *Object) Get(path string) (any, bool) {
	var cur any = o.Data
	for _, s := range ParsePath(path) {
		switch c := cur.(type) {
		case map[string]any:
			if s.IsIdx {
				return nil, false
			}
			v, ok := c[s.Key]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			if !s.IsIdx || s.Index < 0 || s.Index >= len(c) {
				return nil, false
			}
			cur = c[s.Index]
		default:
			return nil, false
		}
	}
	return cur, true
}
