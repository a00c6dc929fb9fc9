// Package crdindex records what the CustomResourceDefinitions of a scan
// define: for each group and kind, the CRD's name and its versions (served,
// deprecated, schema). One index is built per scan from the decoded objects
// and shared by schema validation and the API rules at every target
// version; DocumentAPIs reads the same facts from raw text for Helm's
// capabilities, which are needed before anything is rendered.
package crdindex

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Version is one version of a CustomResourceDefinition.
type Version struct {
	Name       string
	Served     bool
	Deprecated bool
	Warning    string
	// Schema is the openAPIV3Schema (nil: the CRD accepts anything).
	Schema map[string]any
}

// Kind is what one CRD says about a group and kind.
type Kind struct {
	// CRD is the CRD's metadata.name.
	CRD string
	// File is where the CRD was found.
	File  string
	Group string
	// Kind is spec.names.kind.
	Kind     string
	Versions map[string]*Version
}

// Index maps group/kind to the first CRD registered for it. It is safe for
// concurrent use.
type Index struct {
	mu    sync.RWMutex
	kinds map[string]*Kind
}

// New returns an empty index.
func New() *Index { return &Index{kinds: map[string]*Kind{}} }

// Build registers every CRD among objs, in order (the first CRD of a group
// and kind wins). CRDs that cannot be registered are skipped: the
// schema-invalid rule reports what is wrong with them.
func Build(objs []*model.Object) *Index {
	idx := New()
	for _, o := range objs {
		if IsCRD(o) {
			_, _ = idx.Add(o)
		}
	}
	return idx
}

// IsCRD reports whether obj is a CustomResourceDefinition.
func IsCRD(obj *model.Object) bool {
	return obj != nil && obj.Kind == "CustomResourceDefinition" && obj.Group() == "apiextensions.k8s.io"
}

// Parse reads a CustomResourceDefinition (apiextensions.k8s.io/v1 or
// v1beta1) without registering it.
func Parse(obj *model.Object) (*Kind, error) {
	if !IsCRD(obj) {
		return nil, fmt.Errorf("%s: %s %s is not a CustomResourceDefinition", obj.Source.File, obj.APIVersion, obj.Kind)
	}
	spec, _ := obj.Data["spec"].(map[string]any)
	group, _ := spec["group"].(string)
	names, _ := spec["names"].(map[string]any)
	kind, _ := names["kind"].(string)
	if group == "" || kind == "" {
		return nil, fmt.Errorf("%s: CustomResourceDefinition %q has no spec.group or spec.names.kind", obj.Source.File, obj.Name)
	}
	k := &Kind{CRD: obj.Name, File: obj.Source.File, Group: group, Kind: kind, Versions: map[string]*Version{}}
	// v1beta1 allows one schema for all versions (spec.validation) and a
	// single spec.version.
	common := openAPISchema(spec["validation"])
	list, _ := spec["versions"].([]any)
	if len(list) == 0 {
		if name, _ := spec["version"].(string); name != "" {
			list = []any{map[string]any{"name": name, "served": true}}
		}
	}
	for _, e := range list {
		m, _ := e.(map[string]any)
		name, _ := m["name"].(string)
		if name == "" {
			continue
		}
		v := &Version{Name: name, Schema: common}
		v.Served, _ = m["served"].(bool)
		v.Deprecated, _ = m["deprecated"].(bool)
		v.Warning, _ = m["deprecationWarning"].(string)
		if s := openAPISchema(m["schema"]); s != nil {
			v.Schema = s
		}
		k.Versions[name] = v
	}
	if len(k.Versions) == 0 {
		return nil, fmt.Errorf("%s: CustomResourceDefinition %q lists no versions", obj.Source.File, obj.Name)
	}
	return k, nil
}

// Add registers a CRD and returns it; nil when its group and kind were already
// registered (the first one wins).
func (x *Index) Add(obj *model.Object) (k *Kind, err error) {
	k, err = Parse(obj)
	if err != nil {
		return nil, err
	}
	key := k.Group + "/" + k.Kind
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, dup := x.kinds[key]; dup {
		return nil, nil
	}
	x.kinds[key] = k
	return k, nil
}

// AddKind registers a parsed CRD unless its group and kind are known;
// streaming scans parse CRDs as units arrive and add them in unit order.
func (x *Index) AddKind(k *Kind) bool {
	key := k.Group + "/" + k.Kind
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, dup := x.kinds[key]; dup {
		return false
	}
	x.kinds[key] = k
	return true
}

// Defines reports whether a CRD of the index defines group and kind.
func (x *Index) Defines(group, kind string) bool {
	if x == nil {
		return false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	_, ok := x.kinds[group+"/"+kind]
	return ok
}

func openAPISchema(v any) map[string]any {
	m, _ := v.(map[string]any)
	s, _ := m["openAPIV3Schema"].(map[string]any)
	return s
}

// Lookup returns the CRD defining apiVersion's group and kind (nil if none)
// and the version of apiVersion in it (nil if the CRD does not list it).
func (x *Index) Lookup(apiVersion, kind string) (*Version, *Kind) {
	if x == nil {
		return nil, nil
	}
	group, version, ok := strings.Cut(apiVersion, "/")
	if !ok {
		return nil, nil
	}
	x.mu.RLock()
	k := x.kinds[group+"/"+kind]
	x.mu.RUnlock()
	if k == nil {
		return nil, nil
	}
	return k.Versions[version], k
}

// Len is the number of group/kinds registered.
func (x *Index) Len() int {
	if x == nil {
		return 0
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.kinds)
}

// NotServedReason says why a CRD-defined apiVersion is not served ("" when
// it is, or when no CRD defines it).
func (x *Index) NotServedReason(apiVersion, kind string) string {
	v, k := x.Lookup(apiVersion, kind)
	switch {
	case k == nil:
		return ""
	case v == nil:
		return fmt.Sprintf("CRD %s does not define version %s", k.CRD, versionOf(apiVersion))
	case !v.Served:
		return fmt.Sprintf("CRD %s marks version %s served: false", k.CRD, versionOf(apiVersion))
	}
	return ""
}

// ServedVersions lists the versions that the CRD defining apiVersion's group
// and kind serves, sorted, as apiVersions ("example.com/v1"); nil when no CRD
// defines them.
func (x *Index) ServedVersions(apiVersion, kind string) []string {
	_, k := x.Lookup(apiVersion, kind)
	if k == nil {
		return nil
	}
	names := make([]string, 0, len(k.Versions))
	for n := range k.Versions {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		if k.Versions[n].Served {
			out = append(out, k.Group+"/"+n)
		}
	}
	return out
}

func versionOf(apiVersion string) string {
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[i+1:]
	}
	return apiVersion
}
