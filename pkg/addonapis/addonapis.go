// Package addonapis is generated data about the custom resource APIs of
// widely used addons (cert-manager, Flux, Argo CD, Istio, ...): for each
// group, version and kind, which addon releases define, serve, deprecate and
// store it, and the schema the newest serving release publishes. It lets the
// rules judge custom resources whose CustomResourceDefinition is not in the
// scanned repository.
//
// The data (data/apis.json, data/schemas.zip) is written by
// internal/gen/addonapis from the addons' module zips on the Go module proxy
// and embedded; it is decoded once and never modified, and every accessor
// returns copies.
package addonapis

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
)

//go:embed data/apis.json data/schemas.zip
var dataFS embed.FS

// Release is one addon release the data was read from.
type Release struct {
	Version string // without "v": "1.21.2"
	// Sources are the module@version inputs read for the release.
	Sources []string
	// Gaps are inputs the proxy did not serve; kinds they define are
	// unknown, not absent, in this release.
	Gaps []string
}

// Addon is one addon and the releases read for it.
type Addon struct {
	Name string
	// Matrix is the addon's name in pkg/addons ("" when it has no
	// compatibility matrix there).
	Matrix   string
	Releases []Release
}

// Info describes one group/version/kind of an addon.
type Info struct {
	Addon        string
	Group, Kind  string
	Version      string
	CRD          string // the CustomResourceDefinition's name
	Namespaced   bool
	VersionKnown bool // false: the kind is known, this version never was
	// Release lists (ascending) of the read releases that define the
	// version in their CRD, serve it, mark it deprecated, store it.
	Defined, Served, Deprecated, Stored []string
	DeprecationWarning                  string
	// Source is module@version and path of the newest CRD serving the
	// version (the schema's origin).
	Source string
	// Versions are all versions of the kind any read release defines.
	Versions []string
	// KindDefined lists the releases defining any version of the kind, to
	// tell a release without the kind from one whose input is a gap.
	KindDefined []string
	// MovedTo is the group the kind moved to: the addon stopped defining
	// it here in the release that first defines the same kind name in that
	// group (cert-manager 0.11: certmanager.k8s.io to cert-manager.io).
	MovedTo string

	schema string
}

// DB is the decoded data.
type DB struct {
	addons  []Addon
	kinds   map[string]*kind     // group/kind
	groups  map[string][]string  // group -> addons, sorted
	schemas map[string]*zip.File // hash -> deflated schema JSON
}

type kind struct {
	Group    string     `json:"group"`
	Kind     string     `json:"kind"`
	Addon    string     `json:"addon"`
	CRD      string     `json:"crd"`
	Scope    string     `json:"scope"`
	Versions []*version `json:"versions"`
}

type version struct {
	Name       string   `json:"name"`
	Defined    []string `json:"defined"`
	Served     []string `json:"served"`
	Deprecated []string `json:"deprecated"`
	Stored     []string `json:"stored"`
	Warning    string   `json:"deprecationWarning"`
	Schema     string   `json:"schema"`
	Source     string   `json:"source"`
}

type dataFile struct {
	Addons []struct {
		Name     string `json:"name"`
		Matrix   string `json:"matrix"`
		Releases []struct {
			Version string   `json:"version"`
			Sources []string `json:"sources"`
			Gaps    []string `json:"gaps"`
		} `json:"releases"`
	} `json:"addons"`
	Kinds []*kind `json:"kinds"`
}

var defaultDB = sync.OnceValues(func() (*DB, error) {
	b, err := dataFS.ReadFile("data/apis.json")
	if err != nil {
		return nil, err
	}
	z, err := dataFS.ReadFile("data/schemas.zip")
	if err != nil {
		return nil, err
	}
	return decode(b, z)
})

// Load returns the embedded data, decoded on first use.
func Load() (*DB, error) {
	db, err := defaultDB()
	if err != nil {
		return nil, fmt.Errorf("embedded addon API data: %w", err)
	}
	return db, nil
}

// Default is Load for callers that cannot handle an error: the embedded
// data is tested, so a failure is a build defect.
func Default() *DB {
	db, err := Load()
	if err != nil {
		panic(err)
	}
	return db
}

func decode(index, schemas []byte) (*DB, error) {
	var df dataFile
	dec := json.NewDecoder(bytes.NewReader(index))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&struct {
		Comment string `json:"_comment"`
		*dataFile
	}{dataFile: &df}); err != nil {
		return nil, fmt.Errorf("apis.json: %w", err)
	}
	db := &DB{kinds: map[string]*kind{}, groups: map[string][]string{}}
	for _, a := range df.Addons {
		out := Addon{Name: a.Name, Matrix: a.Matrix}
		for _, r := range a.Releases {
			if _, err := semver.StrictNewVersion(r.Version); err != nil {
				return nil, fmt.Errorf("apis.json: addon %s: release %q: %w", a.Name, r.Version, err)
			}
			out.Releases = append(out.Releases, Release{Version: r.Version, Sources: r.Sources, Gaps: r.Gaps})
		}
		db.addons = append(db.addons, out)
	}
	for _, k := range df.Kinds {
		key := k.Group + "/" + k.Kind
		if db.kinds[key] != nil {
			return nil, fmt.Errorf("apis.json: %s listed twice", key)
		}
		db.kinds[key] = k
		if gs := db.groups[k.Group]; !In(gs, k.Addon) {
			// Groups can be shared (argoproj.io: Argo CD and Argo Rollouts).
			db.groups[k.Group] = append(gs, k.Addon)
			sort.Strings(db.groups[k.Group])
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(schemas), int64(len(schemas)))
	if err != nil {
		return nil, fmt.Errorf("schemas.zip: %w", err)
	}
	db.schemas = map[string]*zip.File{}
	for _, f := range zr.File {
		db.schemas[strings.TrimSuffix(f.Name, ".json")] = f
	}
	return db, nil
}

// Addons returns every addon with its releases, sorted by name.
func (db *DB) Addons() []Addon {
	out := make([]Addon, 0, len(db.addons))
	for _, a := range db.addons {
		out = append(out, copyAddon(a))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Addon returns the addon with the given name.
func (db *DB) Addon(name string) (Addon, bool) {
	for _, a := range db.addons {
		if a.Name == name {
			return copyAddon(a), true
		}
	}
	return Addon{}, false
}

func copyAddon(a Addon) Addon {
	rs := make([]Release, len(a.Releases))
	for i, r := range a.Releases {
		rs[i] = Release{Version: r.Version, Sources: clone(r.Sources), Gaps: clone(r.Gaps)}
	}
	a.Releases = rs
	return a
}

// GroupAddons returns the addons defining kinds in an API group, sorted
// (argoproj.io has two); nil for groups of no known addon.
func (db *DB) GroupAddons(group string) []string { return clone(db.groups[group]) }

// Lookup describes group/version/kind. ok is false when no addon defines
// the group and kind; a known kind with a version no release defines gives
// ok with VersionKnown false.
func (db *DB) Lookup(group, ver, kindName string) (Info, bool) {
	k := db.kinds[group+"/"+kindName]
	if k == nil {
		return Info{}, false
	}
	in := Info{Addon: k.Addon, Group: k.Group, Kind: k.Kind, Version: ver, CRD: k.CRD, Namespaced: k.Scope == "Namespaced"}
	defined := map[string]bool{}
	for _, v := range k.Versions {
		in.Versions = append(in.Versions, v.Name)
		for _, r := range v.Defined {
			defined[r] = true
		}
		if v.Name != ver {
			continue
		}
		in.VersionKnown = true
		in.Defined, in.Served, in.Deprecated, in.Stored = clone(v.Defined), clone(v.Served), clone(v.Deprecated), clone(v.Stored)
		in.DeprecationWarning, in.Source, in.schema = v.Warning, v.Source, v.Schema
	}
	in.KindDefined = db.kindDefined(k)
	in.MovedTo = db.movedTo(k, in.KindDefined)
	return in, true
}

// kindDefined lists the releases of k's addon that define any version of k.
func (db *DB) kindDefined(k *kind) []string {
	defined := map[string]bool{}
	for _, v := range k.Versions {
		for _, r := range v.Defined {
			defined[r] = true
		}
	}
	var out []string
	for _, a := range db.addons {
		if a.Name != k.Addon {
			continue
		}
		for _, r := range a.Releases {
			if defined[r.Version] {
				out = append(out, r.Version)
			}
		}
	}
	return out
}

// movedTo finds the group k moved to (see Info.MovedTo), "" when none.
func (db *DB) movedTo(k *kind, defined []string) string {
	if len(defined) == 0 {
		return ""
	}
	a, _ := db.Addon(k.Addon)
	next := ""
	for i, r := range a.Releases {
		if r.Version == defined[len(defined)-1] && i+1 < len(a.Releases) {
			next = a.Releases[i+1].Version
		}
	}
	if next == "" {
		return ""
	}
	var groups []string
	for _, o := range db.kinds {
		if o.Addon != k.Addon || o.Kind != k.Kind || o.Group == k.Group {
			continue
		}
		if d := db.kindDefined(o); len(d) > 0 && d[0] == next {
			groups = append(groups, o.Group)
		}
	}
	if len(groups) != 1 {
		return "" // none, or ambiguous
	}
	return groups[0]
}

// Lookup is DB.Lookup on the embedded data.
func Lookup(group, version, kind string) (Info, bool) { return Default().Lookup(group, version, kind) }

// Kinds returns "group/kind" of every known kind, sorted.
func (db *DB) Kinds() []string {
	out := make([]string, 0, len(db.kinds))
	for k := range db.kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// maxSchema bounds one inflated schema (the largest is about 1 MB).
const maxSchema = 16 << 20

// Schema returns the version's openAPIV3Schema as published by the newest
// release serving it, freshly decoded (callers may modify it). It is nil,
// with no error, when no serving release published a schema.
func (db *DB) Schema(in Info) (map[string]any, error) {
	if in.schema == "" {
		return nil, nil
	}
	f, ok := db.schemas[in.schema]
	if !ok {
		return nil, fmt.Errorf("schema %s of %s/%s %s is missing from schemas.zip", in.schema, in.Group, in.Version, in.Kind)
	}
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", in.schema, err)
	}
	defer func() { _ = r.Close() }() // a read-only inflater: Close cannot lose data
	b, err := io.ReadAll(io.LimitReader(r, maxSchema))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", in.schema, err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("schema %s: %w", in.schema, err)
	}
	return s, nil
}

func clone(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

// In reports whether release is in the (ascending) release list rs.
func In(rs []string, release string) bool {
	for _, r := range rs {
		if r == release {
			return true
		}
	}
	return false
}
