package schema

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// Definition names of the two types whose OpenAPI form is too narrow or too
// loose for validation.
const (
	quantityDef    = "io.k8s.apimachinery.pkg.api.resource.Quantity"
	intOrStringDef = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
	objectMetaDef  = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
)

func intOrString() map[string]any {
	return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
}

// quantity accepts numbers too: "500m" and 2 are both valid quantities in a
// manifest (the API server parses numbers as quantities). Strings are checked
// by the "quantity" format (see newCompiler).
func quantity() map[string]any {
	return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}, "format": "quantity"}
}

var strictDefs sync.Map // kubeversion.Version → func() (map[string]any, error)

// strictDefinitions returns the definitions of v transformed for strict
// validation, computed once per process and shared read-only.
func strictDefinitions(v kubeversion.Version) (map[string]any, error) {
	f, _ := strictDefs.LoadOrStore(v, sync.OnceValues(func() (map[string]any, error) {
		c, err := load(v)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(c.defs))
		for name, d := range c.defs {
			switch name {
			case quantityDef:
				out[name] = quantity()
			case intOrStringDef:
				out[name] = intOrString()
			default:
				out[name] = strictify(deepCopy(d), true)
			}
		}
		return out, nil
	}))
	return f.(func() (map[string]any, error))()
}

// strictify applies the openapi2jsonschema-style changes to one schema node:
// int-or-string becomes string|integer, and objects that list their
// properties reject unknown ones unless they preserve unknown fields or say
// otherwise. structural is false inside allOf/anyOf/oneOf/not, whose branches
// only add value checks and must not close the object.
func strictify(s any, structural bool) any {
	m, ok := s.(map[string]any)
	if !ok {
		return s
	}
	if m["format"] == "int-or-string" || m["x-kubernetes-int-or-string"] == true {
		return intOrString()
	}
	// OpenAPI's nullable has no meaning in draft 4; nulls are pruned from
	// instances before validation instead (see normalize).
	delete(m, "nullable")
	if props, ok := m["properties"].(map[string]any); ok {
		for k, p := range props {
			props[k] = strictify(p, structural)
		}
		if m["x-kubernetes-embedded-resource"] == true {
			for _, k := range []string{"apiVersion", "kind"} {
				if _, ok := props[k]; !ok {
					props[k] = map[string]any{"type": "string"}
				}
			}
			if _, ok := props["metadata"]; !ok {
				props["metadata"] = map[string]any{"type": "object"}
			}
		}
		_, hasAP := m["additionalProperties"]
		if structural && !hasAP && m["x-kubernetes-preserve-unknown-fields"] != true {
			m["additionalProperties"] = false
		}
	}
	switch it := m["items"].(type) {
	case map[string]any:
		m["items"] = strictify(it, structural)
	case []any:
		for i := range it {
			it[i] = strictify(it[i], structural)
		}
	}
	if ap, ok := m["additionalProperties"].(map[string]any); ok {
		m["additionalProperties"] = strictify(ap, structural)
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if list, ok := m[k].([]any); ok {
			for i := range list {
				list[i] = strictify(list[i], false)
			}
		}
	}
	if n, ok := m["not"]; ok {
		m["not"] = strictify(n, false)
	}
	return m
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// needsNormalize reports whether v holds anything normalize would change, so
// the common clean object is validated without a copy.
func needsNormalize(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		for _, e := range t {
			if e == nil || needsNormalize(e) {
				return true
			}
		}
		return false
	case []any:
		for _, e := range t {
			if needsNormalize(e) {
				return true
			}
		}
		return false
	case float64:
		return math.IsNaN(t) || math.IsInf(t, 0)
	case string, bool, int, int64:
		return false
	case int32, uint, uint32, uint64:
		return false
	}
	return true
}

// normalize returns a JSON-compatible copy of an instance with null map
// values removed. Kubernetes treats an explicit null like an absent field
// (built-in types decode it to the zero value; the CRD pruning drops nulls
// of non-nullable fields), so an optional field set to null is accepted and a
// required one is reported as missing. Nulls inside lists are kept: a null
// list item is an error in both.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if e == nil {
				continue
			}
			out[k] = normalize(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if e == nil {
				continue
			}
			out[fmt.Sprint(k)] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case time.Time:
		return t.UTC().Format(time.RFC3339)
	case float32:
		return normalize(float64(t))
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return fmt.Sprint(t)
		}
		return t

	case nil, string, bool, int, int64, int32, uint64, uint32, uint:
		return t
	}
	return fmt.Sprint(v)
}
