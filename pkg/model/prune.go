package model

import (
	"reflect"
	"unique"

	"gopkg.in/yaml.v3"
)

// Keep names the fields of a mapping to keep, each with what to keep inside
// it; a nil Keep keeps the whole value. Sequences pass their Keep on to
// every element, so indices (and paths) stay what they were.
type Keep map[string]Keep

// Prune returns a copy of o whose Data and Node hold only the fields k
// names. Kept fields keep their nodes, so positions of paths inside them are
// those of the full object. Used to hold compact facts for rules that need
// the whole object set after the full objects are released.
func Prune(o *Object, k Keep) *Object {
	c := *o
	if k == nil {
		return &c
	}
	c.Data, _ = pruneData(o.Data, k).(map[string]any)
	c.Pos = newPosTable(o.Node, k)
	c.Node = nil
	return &c
}

// Compact returns a copy of o without Data, Node, Locator or positions:
// facts stand for the data, and hold the positions of the fields their
// rules report on. It costs a fraction of a pruned copy (no maps), so a scan
// can hold one for every workload of a large repository.
func Compact(o *Object, facts any) *Object {
	c := *o
	// A locator holds its chart's parsed templates: not needed once the
	// facts hold their positions.
	c.Data, c.Node, c.Pos, c.Locator = nil, nil, nil, nil
	c.Facts = facts
	return &c
}

func pruneData(v any, k Keep) any {
	if k == nil {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(k))
		same := true
		for key, x := range t {
			sub, ok := k[key]
			if !ok {
				same = false
				continue
			}
			p := pruneData(x, sub)
			same = same && sameValue(p, x)
			out[key] = p
		}
		if same {
			// Nothing dropped below: share the original.
			return t
		}
		return out
	case []any:
		out := make([]any, len(t))
		same := true
		for i, x := range t {
			out[i] = pruneData(x, k)
			same = same && sameValue(out[i], x)
		}
		if same {
			return t
		}
		return out
	}
	return v
}

// sameValue reports whether pruning returned x itself.
func sameValue(p, x any) bool {
	switch a := p.(type) {
	case map[string]any:
		b, ok := x.(map[string]any)
		return ok && reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
	case []any:
		b, ok := x.([]any)
		return ok && len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
	}
	return true
}

// PosTable answers NodeAt for the kept fields of a pruned object at a
// fraction of the size of yaml nodes: one small entry per field.
type PosTable struct {
	nodes []posNode
}

type posNode struct {
	key         string // field name when the parent is a mapping
	line, col   int32  // where NodeAt reports the field
	kind        yaml.Kind
	first, size int32 // children, in nodes
}

const maxPosDepth = 64

// newPosTable flattens root (a document or its mapping), keeping the fields
// k names.
func newPosTable(root *yaml.Node, k Keep) *PosTable {
	n := root
	for n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n == nil {
		return nil
	}
	t := &PosTable{nodes: []posNode{{line: int32(n.Line), col: int32(n.Column)}}}
	t.fill(0, n, k, 0)
	t.nodes = append([]posNode(nil), t.nodes...) // drop spare capacity
	return t
}

// fill records n's children below entry i.
func (t *PosTable) fill(i int, n *yaml.Node, k Keep, depth int) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	t.nodes[i].kind = n.Kind
	if depth > maxPosDepth {
		return
	}
	type child struct {
		at   *yaml.Node // where NodeAt reports it
		val  *yaml.Node
		key  string
		keep Keep
	}
	var cs []child
	switch n.Kind {
	case yaml.MappingNode:
		for j := 0; j+1 < len(n.Content); j += 2 {
			key := n.Content[j].Value
			sub, ok := k[key]
			if k != nil && !ok {
				continue
			}
			cs = append(cs, child{n.Content[j], n.Content[j+1], key, sub})
		}
	case yaml.SequenceNode:
		for _, x := range n.Content {
			cs = append(cs, child{x, x, "", k})
		}
	}
	if len(cs) == 0 {
		return
	}
	first := len(t.nodes)
	t.nodes[i].first, t.nodes[i].size = int32(first), int32(len(cs))
	for _, c := range cs {
		// Field names repeat across objects: keep one copy of each.
		t.nodes = append(t.nodes, posNode{key: unique.Make(c.key).Value(), line: int32(c.at.Line), col: int32(c.at.Column)})
	}
	for j, c := range cs {
		t.fill(first+j, c.val, c.keep, depth+1)
	}
}

// At returns what NodeAt would report for path: the position of the field,
// or of the deepest enclosing field that exists.
func (t *PosTable) At(path string) (line, col int) {
	cur := 0
	last := 0
	for _, s := range ParsePath(path) {
		n := t.nodes[cur]
		switch {
		case s.IsIdx && n.kind == yaml.SequenceNode && s.Index >= 0 && s.Index < int(n.size):
			cur = int(n.first) + s.Index
		case !s.IsIdx && n.kind == yaml.MappingNode:
			found := -1
			for j := int(n.first); j < int(n.first+n.size); j++ {
				if t.nodes[j].key == s.Key {
					found = j
					break
				}
			}
			if found < 0 {
				return int(t.nodes[last].line), int(t.nodes[last].col)
			}
			cur = found
		default:
			return int(t.nodes[last].line), int(t.nodes[last].col)
		}
		last = cur
	}
	return int(t.nodes[last].line), int(t.nodes[last].col)
}
