package kubeversion

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// API is the lifecycle of one group/version/kind.
type API struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
	// Introduced is the first release that serves it (zero when unknown).
	Introduced Version `json:"introduced,omitzero"`
	// Deprecated is the release that deprecated it (zero when not deprecated).
	Deprecated Version `json:"deprecated,omitzero"`
	// Removed is the first release that no longer serves it (zero: still served).
	Removed Version `json:"removed,omitzero"`
	// Projected marks a removal after the newest covered release that only
	// follows the lifecycle tags' default for alpha APIs (deprecated + 3):
	// a projection, not a scheduled removal. Load sets it.
	Projected bool `json:"projected,omitempty"`
	// Replacement is "group/version/Kind" (core: "v1/Kind"), empty when none.
	Replacement string `json:"replacement,omitempty"`
	// DefaultOff marks alpha APIs and betas that are not enabled by default.
	DefaultOff bool `json:"defaultOff,omitempty"`
	// NotServed marks Go API types that no release serves as a REST resource
	// (webhook and discovery payloads, options types): they have a lifecycle
	// but never appear in discovery.
	NotServed bool `json:"notServed,omitempty"`
	// Notes is advice for users (e.g. "use Pod Security Admission").
	Notes string `json:"notes,omitempty"`
	// Source cites where the lifecycle values come from.
	Source string `json:"source,omitempty"`
}

// APIVersion returns "group/version" ("v1" for core).
func (a *API) APIVersion() string {
	if a.Group == "" {
		return a.Version
	}
	return a.Group + "/" + a.Version
}

// GVK returns "group/version/Kind" ("v1/Pod" for core).
func (a *API) GVK() string { return a.APIVersion() + "/" + a.Kind }

// ServedAt reports whether v serves the API.
func (a *API) ServedAt(v Version) bool {
	if !a.Introduced.IsZero() && v.Less(a.Introduced) {
		return false
	}
	return a.Removed.IsZero() || v.Less(a.Removed)
}

// RemovedAt reports whether the API is gone at v.
func (a *API) RemovedAt(v Version) bool { return !a.Removed.IsZero() && v.AtLeast(a.Removed) }

// DeprecatedAt reports whether the API is deprecated (but still served) at v.
func (a *API) DeprecatedAt(v Version) bool {
	return !a.Deprecated.IsZero() && v.AtLeast(a.Deprecated) && !a.RemovedAt(v)
}

// RemovalText says when the API goes away for tables: "1.25", or
// "1.38 (projected)" for a projected removal; empty when none is known.
func (a *API) RemovalText() string {
	switch {
	case a.Removed.IsZero():
		return ""
	case a.Projected:
		return a.Removed.String() + " (projected)"
	}
	return a.Removed.String()
}

// ReplacementAPIVersion splits Replacement into apiVersion and kind.
func (a *API) ReplacementAPIVersion() (apiVersion, kind string) {
	r := a.Replacement
	i := strings.LastIndexByte(r, '/')
	if i < 0 {
		return "", ""
	}
	return r[:i], r[i+1:]
}

// File is the on-disk form of the database.
type File struct {
	// Generated describes the generator run (sources and pinned versions).
	Generated map[string]any `json:"generated,omitempty"`
	// Oldest and Newest bound the releases the data covers.
	Oldest Version `json:"oldest"`
	Newest Version `json:"newest"`
	APIs   []API   `json:"apis"`
}

// DB answers lifecycle questions. It is immutable after Load.
type DB struct {
	file  File
	byGVK map[string]*API
}

//go:embed data/lifecycle.json
var embedded []byte

var defaultDB = sync.OnceValues(func() (*DB, error) { return Load(embedded) })

// Default returns the embedded database. The embedded data is checked by
// tests, so an error here means a broken build.
func Default() *DB {
	db, err := defaultDB()
	if err != nil {
		panic(fmt.Sprintf("kubeversion: embedded lifecycle data is invalid: %v", err))
	}
	return db
}

// Load parses a database file.
func Load(b []byte) (*DB, error) {
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("decode lifecycle data: %w", err)
	}
	db := &DB{file: f, byGVK: make(map[string]*API, len(f.APIs))}
	for i := range db.file.APIs {
		a := &db.file.APIs[i]
		if a.Version == "" || a.Kind == "" {
			return nil, fmt.Errorf("lifecycle data: entry %d has no version or kind", i)
		}
		if strings.Contains(a.Version, "alpha") && f.Newest.Less(a.Removed) {
			a.Projected = true
		}
		if _, dup := db.byGVK[a.GVK()]; dup {
			return nil, fmt.Errorf("lifecycle data: duplicate entry %s", a.GVK())
		}
		db.byGVK[a.GVK()] = a
	}
	if f.Oldest.IsZero() || f.Newest.Less(f.Oldest) {
		return nil, fmt.Errorf("lifecycle data: bad range %q..%q", f.Oldest, f.Newest)
	}
	return db, nil
}

// Newest is the newest release the data covers.
func (db *DB) Newest() Version { return db.file.Newest }

// Oldest is the oldest release the data covers.
func (db *DB) Oldest() Version { return db.file.Oldest }

// Generated returns the generator's provenance record.
func (db *DB) Generated() map[string]any { return db.file.Generated }

// CheckTarget returns an error when v is outside the covered range.
func (db *DB) CheckTarget(v Version) error {
	if v.Less(db.file.Oldest) {
		return fmt.Errorf("target version %s is older than the oldest version the embedded data covers (%s)", v, db.file.Oldest)
	}
	if db.file.Newest.Less(v) {
		return fmt.Errorf("target version %s is newer than the newest version the embedded data covers (%s); upgrade kupgrade-lint", v, db.file.Newest)
	}
	return nil
}

// Lookup finds the lifecycle of apiVersion + kind.
func (db *DB) Lookup(apiVersion, kind string) (*API, bool) {
	a, ok := db.byGVK[apiVersion+"/"+kind]
	return a, ok
}

// APIs returns every entry, sorted by group, version and kind.
func (db *DB) APIs() []API { return db.file.APIs }

// KnowsGroupVersion reports whether any entry has this apiVersion.
func (db *DB) KnowsGroupVersion(apiVersion string) bool {
	for i := range db.file.APIs {
		if db.file.APIs[i].APIVersion() == apiVersion {
			return true
		}
	}
	return false
}

// ServedAPIs lists the group/versions and group/version/Kinds enabled by
// default at v, sorted: what a real API server of that release advertises.
func (db *DB) ServedAPIs(v Version) []string {
	seen := map[string]bool{}
	for i := range db.file.APIs {
		a := &db.file.APIs[i]
		if a.DefaultOff || a.NotServed || !a.ServedAt(v) || strings.HasSuffix(a.Kind, "List") {
			continue
		}
		seen[a.APIVersion()] = true
		seen[a.GVK()] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ReplacementAt follows a's replacement chain to the first API served at v,
// e.g. flowcontrol v1beta1 → v1beta3 (removed 1.32) → v1 for v = 1.33.
func (db *DB) ReplacementAt(a *API, v Version) (*API, bool) {
	seen := map[string]bool{a.GVK(): true}
	for cur := a; cur.Replacement != "" && !seen[cur.Replacement]; {
		seen[cur.Replacement] = true
		next, ok := db.byGVK[cur.Replacement]
		if !ok {
			return nil, false
		}
		if next.ServedAt(v) {
			return next, true
		}
		cur = next
	}
	// The recorded chain may skip a version that was the way forward at v
	// (flowcontrol v1beta2 → v1 skips v1beta3, the only newer version served
	// on 1.26–1.28): take the newest other version of the kind served at v.
	var best *API
	for _, c := range db.byGVK {
		if c.Group != a.Group || c.Kind != a.Kind || c.Version == a.Version || !c.ServedAt(v) || c.Introduced.Less(a.Introduced) {
			continue
		}
		if best == nil || best.Introduced.Less(c.Introduced) || best.Introduced == c.Introduced && c.Version > best.Version {
			best = c
		}
	}
	return best, best != nil
}
