package schema

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

var printer = message.NewPrinter(language.English)

// violations flattens a validation error tree into one violation per leaf
// problem. data is the original (not normalized) object, used to tell a
// missing required field from one set to null.
func violations(err error, data map[string]any) []Violation {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Violation{{Message: err.Error()}}
	}
	var out []Violation
	flatten(ve, data, &out)
	return out
}

func flatten(e *jsonschema.ValidationError, data map[string]any, out *[]Violation) {
	switch k := e.ErrorKind.(type) {
	case *kind.OneOf, *kind.AnyOf:
		*out = append(*out, alternatives(e))
		return
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			*out = append(*out, at(child(e.InstanceLocation, p), fmt.Sprintf("unknown field %q", p)))
		}
		return
	case *kind.Required:
		for _, p := range k.Missing {
			loc := child(e.InstanceLocation, p)
			if isNull(data, loc) {
				*out = append(*out, at(loc, fmt.Sprintf("required field %q is null", p)))
				continue
			}
			*out = append(*out, at(e.InstanceLocation, fmt.Sprintf("missing required field %q", p)))
		}
		return
	}
	if len(e.Causes) == 0 {
		*out = append(*out, at(e.InstanceLocation, leafMessage(e.ErrorKind)))
		return
	}
	for _, c := range e.Causes {
		flatten(c, data, out)
	}
}

// child returns loc extended by key without touching loc's array.
func child(loc []string, key string) []string {
	out := make([]string, len(loc), len(loc)+1)
	copy(out, loc)
	return append(out, key)
}

// alternatives describes a value that matches none of several schemas. The
// usual case (int-or-string, quantity) is a type mismatch in every branch,
// which reads best as one "expected A or B" message.
func alternatives(e *jsonschema.ValidationError) Violation {
	var leaves []*jsonschema.ValidationError
	var collect func(*jsonschema.ValidationError)
	collect = func(c *jsonschema.ValidationError) {
		if len(c.Causes) == 0 {
			leaves = append(leaves, c)
		}
		for _, cc := range c.Causes {
			collect(cc)
		}
	}
	for _, c := range e.Causes {
		collect(c)
	}
	var want []string
	got := ""
	allTypes := len(leaves) > 0
	for _, l := range leaves {
		t, ok := l.ErrorKind.(*kind.Type)
		if !ok || len(l.InstanceLocation) != len(e.InstanceLocation) {
			allTypes = false
			break
		}
		want = append(want, t.Want...)
		got = t.Got
	}
	if allTypes {
		return at(e.InstanceLocation, fmt.Sprintf("expected %s, got %s", strings.Join(dedupe(want), " or "), got))
	}
	if len(leaves) == 1 {
		return at(leaves[0].InstanceLocation, leafMessage(leaves[0].ErrorKind))
	}
	if _, ok := e.ErrorKind.(*kind.OneOf); ok {
		return at(e.InstanceLocation, "value matches none or more than one of the allowed forms")
	}
	return at(e.InstanceLocation, "value matches none of the allowed forms")
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range s {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

func leafMessage(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("expected %s, got %s", strings.Join(k.Want, " or "), k.Got)
	case *kind.Enum:
		want := make([]string, 0, len(k.Want))
		for i, w := range k.Want {
			if i == 10 {
				want = append(want, "...")
				break
			}
			want = append(want, fmt.Sprintf("%q", fmt.Sprint(w)))
		}
		return fmt.Sprintf("unsupported value %q: expected one of %s", fmt.Sprint(k.Got), strings.Join(want, ", "))
	case *kind.FalseSchema:
		return "field not allowed"
	case *kind.Minimum:
		return fmt.Sprintf("expected at least %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.Maximum:
		return fmt.Sprintf("expected at most %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("expected more than %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.ExclusiveMaximum:
		return fmt.Sprintf("expected less than %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.MinLength:
		return fmt.Sprintf("expected at least %d characters, got %d", k.Want, k.Got)
	case *kind.MaxLength:
		return fmt.Sprintf("expected at most %d characters, got %d", k.Want, k.Got)
	case *kind.MinItems:
		return fmt.Sprintf("expected at least %d items, got %d", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("expected at most %d items, got %d", k.Want, k.Got)
	case *kind.Pattern:
		return fmt.Sprintf("value %q does not match the pattern %q", k.Got, k.Want)
	case *kind.Format:
		if k.Want == "quantity" && k.Err != nil {
			got := fmt.Sprint(k.Got)
			if len(got) > 40 {
				got = got[:40] + "..."
			}
			return fmt.Sprintf("value %q is not a valid quantity: %v", got, k.Err)
		}
		return fmt.Sprintf("value %q is not a valid %s", fmt.Sprint(k.Got), k.Want)
	}
	return k.LocalizedString(printer)
}

func at(loc []string, msg string) Violation {
	ptr := pointer(loc)
	return Violation{Pointer: ptr, Path: model.PointerToPath(ptr), Message: msg}
}

func pointer(loc []string) string {
	var b strings.Builder
	for _, t := range loc {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// isNull reports whether the value at loc in data is an explicit null.
func isNull(data map[string]any, loc []string) bool {
	var cur any = data
	for _, t := range loc {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[t]
			if !ok {
				return false
			}
			cur = v
		case []any:
			i := 0
			if _, err := fmt.Sscanf(t, "%d", &i); err != nil || i < 0 || i >= len(c) {
				return false
			}
			cur = c[i]
		default:
			return false
		}
	}
	return cur == nil
}

func sortViolations(vs []Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		if vs[i].Pointer != vs[j].Pointer {
			return vs[i].Pointer < vs[j].Pointer
		}
		return vs[i].Message < vs[j].Message
	})
	// Drop exact duplicates (the same problem reached through two paths).
	out := vs[:0]
	for i, v := range vs {
		if i > 0 && v == vs[i-1] {
			continue
		}
		out = append(out, v)
	}
	clear(vs[len(out):])
}

// duplicateKeys reports keys that appear twice in one mapping. yaml.v3
// rejects them when decoding into maps, but a lenient decoder may keep the
// last one silently, and kubectl rejects such manifests. Paths are built only
// for the keys reported: this runs on every object.
func duplicateKeys(root *yaml.Node) []Violation {
	var out []Violation
	var stack []model.PathSegment
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				stack = append(stack, model.PathSegment{Index: i, IsIdx: true})
				walk(c)
				stack = stack[:len(stack)-1]
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Tag == "!!merge" {
					continue
				}
				stack = append(stack, model.PathSegment{Key: k.Value})
				if seenBefore(n.Content, i) {
					p := segmentsPath(stack)
					out = append(out, Violation{Pointer: pathPointer(p), Path: p, Message: fmt.Sprintf("duplicate key %q", k.Value), Line: k.Line, Column: k.Column})
				} else {
					walk(n.Content[i+1])
				}
				stack = stack[:len(stack)-1]
			}
		}
	}
	if root != nil {
		walk(root)
	}
	return out
}

// seenBefore reports whether the key at content[i] appeared earlier in the
// same mapping. Mappings are small, so a scan beats a map allocation.
func seenBefore(content []*yaml.Node, i int) bool {
	for j := 0; j < i; j += 2 {
		if content[j].Value == content[i].Value && content[j].Tag != "!!merge" {
			return true
		}
	}
	return false
}

func segmentsPath(segs []model.PathSegment) string {
	p := ""
	for _, s := range segs {
		if s.IsIdx {
			p = model.JoinIndex(p, s.Index)
		} else {
			p = model.JoinKey(p, s.Key)
		}
	}
	return p
}

// pathPointer converts a field path back to a JSON pointer.
func pathPointer(path string) string {
	var loc []string
	for _, s := range model.ParsePath(path) {
		if s.IsIdx {
			loc = append(loc, fmt.Sprint(s.Index))
		} else {
			loc = append(loc, s.Key)
		}
	}
	return pointer(loc)
}
