// Package addons knows which Kubernetes minors each cluster addon (ingress
// controller, CNI, cert-manager, ...) supports, finds the addons a scan
// contains and checks them against a target version. The data is one YAML
// file per addon under data/, embedded; users add or override addons in the
// same format.
package addons

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// Kind says what a version row states.
type Kind string

const (
	// Supported rows give the range (or list) of minors the project supports.
	Supported Kind = "supported"
	// Tested rows list the minors the project tested; others may work.
	Tested Kind = "tested"
	// Minimum rows give only the oldest minor that works.
	Minimum Kind = "minimum"
)

// Addon is one project's data file.
type Addon struct {
	// Name is the addon's ID (lowercase), used in messages and for overrides.
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
	URL         string `yaml:"url,omitempty"`
	// AsOf is the date (YYYY-MM-DD) the file was last checked against its
	// sources; required in the embedded data.
	AsOf string `yaml:"asOf,omitempty"`
	// Retired projects get no more releases or security fixes.
	Retired     bool   `yaml:"retired,omitempty"`
	RetiredNote string `yaml:"retiredNote,omitempty"`
	// MustMatchClusterMinor is set for components released per Kubernetes
	// minor whose minor must equal the cluster's (cluster-autoscaler).
	MustMatchClusterMinor bool    `yaml:"mustMatchClusterMinor,omitempty"`
	Detect                Signals `yaml:"detect"`
	Versions              []*Row  `yaml:"versions"`
}

// Signals say how to recognise the addon in rendered objects.
type Signals struct {
	// Images are repository suffixes whose tag is the addon version
	// ("ingress-nginx/controller" matches any registry).
	Images []string `yaml:"images,omitempty"`
	// UnversionedImages identify the addon but their tag is a component
	// version, not the addon's (Flux controllers).
	UnversionedImages []string `yaml:"unversionedImages,omitempty"`
	// TagPrefixes are stripped from tags before reading a version
	// ("stable-" for Linkerd).
	TagPrefixes []string `yaml:"tagPrefixes,omitempty"`
	// Charts are Helm chart names that install the addon.
	Charts []ChartSignal `yaml:"charts,omitempty"`
	// Names are app.kubernetes.io/name values.
	Names []string `yaml:"names,omitempty"`
	// Labels are key=value pairs that identify the addon.
	Labels []string `yaml:"labels,omitempty"`
	// VersionLabel says app.kubernetes.io/version on matching objects is the
	// addon version (for many charts it is the chart version instead).
	VersionLabel bool `yaml:"versionLabel,omitempty"`
	// CRDGroups are API groups of the addon's CRDs: a fallback signal that
	// carries no version.
	CRDGroups []string `yaml:"crdGroups,omitempty"`
}

// ChartSignal is a Helm chart that installs the addon.
type ChartSignal struct {
	Name string `yaml:"name"`
	// ChartIsApp says the chart version equals the addon version.
	ChartIsApp bool `yaml:"chartIsApp,omitempty"`
	// Map gives the addon version shipped by a range of chart versions, for
	// helm.sh/chart labels (which carry only the chart version).
	Map []ChartMap `yaml:"map,omitempty"`
}

// ChartMap maps a chart version range to the addon version it ships.
type ChartMap struct {
	Chart string `yaml:"chart"`
	App   string `yaml:"app"`

	c *semver.Constraints
}

// Row is one statement about a range of addon versions.
type Row struct {
	// Versions is a semver constraint over addon versions (">=1.15.0 <1.16.0").
	Versions string `yaml:"versions"`
	Kind     Kind   `yaml:"kind"`
	// K8sMin/K8sMax bound a supported range (either may be open); K8sMin
	// alone is the minimum of a minimum row.
	K8sMin kubeversion.Version `yaml:"k8sMin,omitempty"`
	K8sMax kubeversion.Version `yaml:"k8sMax,omitempty"`
	// K8s lists minors explicitly (tested rows, non-contiguous support).
	K8s    []kubeversion.Version `yaml:"k8s,omitempty"`
	Source string                `yaml:"source"`
	AsOf   string                `yaml:"asOf"`
	// Verified is required: false marks data taken from secondary or
	// incomplete sources, and findings resting on it say so.
	Verified *bool  `yaml:"verified"`
	Note     string `yaml:"note,omitempty"`

	c    *semver.Constraints
	user bool
}

// IsVerified reports whether the row was checked against its source.
func (r *Row) IsVerified() bool { return r.Verified != nil && *r.Verified }

// Matches reports whether addon version v falls in the row.
func (r *Row) Matches(v *semver.Version) bool { return r.c != nil && v != nil && r.c.Check(v) }

// Covers reports whether the row says minor k works: inside the supported
// range or list, in the tested list, or at or above the minimum.
func (r *Row) Covers(k kubeversion.Version) bool {
	if len(r.K8s) > 0 {
		for _, v := range r.K8s {
			if v == k {
				return true
			}
		}
		return false
	}
	if !r.K8sMin.IsZero() && k.Less(r.K8sMin) {
		return false
	}
	if r.Kind != Minimum && !r.K8sMax.IsZero() && r.K8sMax.Less(k) {
		return false
	}
	return true
}

// Window describes the row's Kubernetes minors for messages ("1.29–1.33",
// "1.31, 1.33", "1.27 or later").
func (r *Row) Window() string {
	if len(r.K8s) > 0 {
		s := make([]string, len(r.K8s))
		for i, v := range r.K8s {
			s[i] = v.String()
		}
		if contiguous(r.K8s) && len(r.K8s) > 2 {
			return s[0] + "–" + s[len(s)-1]
		}
		return strings.Join(s, ", ")
	}
	switch {
	case r.Kind == Minimum || r.K8sMax.IsZero():
		return r.K8sMin.String() + " or later"
	case r.K8sMin.IsZero():
		return r.K8sMax.String() + " or earlier"
	case r.K8sMin == r.K8sMax:
		return r.K8sMin.String()
	}
	return r.K8sMin.String() + "–" + r.K8sMax.String()
}

func contiguous(vs []kubeversion.Version) bool {
	for i := 1; i < len(vs); i++ {
		if vs[i] != vs[i-1].Next() {
			return false
		}
	}
	return true
}

// Matrix is the set of known addons.
type Matrix struct {
	addons []*Addon
}

//go:embed data/*.yaml
var dataFS embed.FS

var defaultMatrix = sync.OnceValues(func() (*Matrix, error) {
	entries, err := dataFS.ReadDir("data")
	if err != nil {
		return nil, err
	}
	m := &Matrix{}
	for _, e := range entries {
		b, err := dataFS.ReadFile(path.Join("data", e.Name()))
		if err != nil {
			return nil, err
		}
		if err := m.merge(b, "data/"+e.Name(), false); err != nil {
			return nil, err
		}
	}
	return m, nil
})

// Load returns the embedded matrix. Each call returns a new Matrix, so
// merging user data into it does not change later Loads.
func Load() (*Matrix, error) {
	m, err := defaultMatrix()
	if err != nil {
		return nil, fmt.Errorf("embedded addon data: %w", err)
	}
	return m.clone(), nil
}

// LoadWith returns the embedded matrix with user data files (--addon-matrix,
// the config's addons:) merged in order.
func LoadWith(files ...string) (*Matrix, error) {
	m, err := Load()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := m.LoadFile(f); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Default is Load for callers that cannot handle an error: the embedded data
// is tested, so a failure is a build defect.
func Default() *Matrix {
	m, err := Load()
	if err != nil {
		panic(err)
	}
	return m
}

func (m *Matrix) clone() *Matrix {
	return &Matrix{addons: append([]*Addon(nil), m.addons...)}
}

// Addons returns the addons sorted by name.
func (m *Matrix) Addons() []*Addon { return m.addons }

// Addon returns the addon with the given name.
func (m *Matrix) Addon(name string) (*Addon, bool) {
	for _, a := range m.addons {
		if a.Name == name {
			return a, true
		}
	}
	return nil, false
}

// LoadFile merges a user data file (see Merge).
func (m *Matrix) LoadFile(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("addon matrix: %w", err) // the PathError names the file
	}
	return m.merge(b, file, true)
}

// Merge adds user data in the data-file format: one addon per YAML document,
// or a document with an "addons:" list. An addon with a known name overrides
// it: its rows take precedence over the embedded rows for the versions they
// match, its detection signals are added, and non-empty fields replace the
// embedded ones. Unknown names add in-house addons.
func (m *Matrix) Merge(user []byte) error { return m.merge(user, "user addon data", true) }

func (m *Matrix) merge(b []byte, name string, user bool) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
			continue
		}
		var list struct {
			Addons []*Addon `yaml:"addons"`
		}
		var adds []*Addon
		if hasKey(n.Content[0], "addons") {
			if err := n.Decode(&list); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			adds = list.Addons
		} else {
			a := &Addon{}
			if err := n.Decode(a); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			adds = []*Addon{a}
		}
		for _, a := range adds {
			if err := a.prepare(user); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			m.add(a)
		}
	}
	sort.Slice(m.addons, func(i, j int) bool { return m.addons[i].Name < m.addons[j].Name })
	return nil
}

func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// add inserts a or overrides the addon of the same name without mutating the
// existing value (it may be shared with the embedded default).
func (m *Matrix) add(a *Addon) {
	for i, old := range m.addons {
		if old.Name != a.Name {
			continue
		}
		n := *old
		if a.Description != "" {
			n.Description = a.Description
		}
		if a.URL != "" {
			n.URL = a.URL
		}
		if a.AsOf != "" {
			n.AsOf = a.AsOf
		}
		if a.Retired {
			n.Retired, n.RetiredNote = true, a.RetiredNote
		}
		if a.MustMatchClusterMinor {
			n.MustMatchClusterMinor = true
		}
		d := old.Detect
		d.Images = union(d.Images, a.Detect.Images)
		d.UnversionedImages = union(d.UnversionedImages, a.Detect.UnversionedImages)
		d.TagPrefixes = union(d.TagPrefixes, a.Detect.TagPrefixes)
		d.Names = union(d.Names, a.Detect.Names)
		d.Labels = union(d.Labels, a.Detect.Labels)
		d.CRDGroups = union(d.CRDGroups, a.Detect.CRDGroups)
		d.Charts = append(append([]ChartSignal(nil), a.Detect.Charts...), d.Charts...)
		d.VersionLabel = d.VersionLabel || a.Detect.VersionLabel
		n.Detect = d
		// User rows come first; Check prefers them for the versions they match.
		n.Versions = append(append([]*Row(nil), a.Versions...), old.Versions...)
		m.addons[i] = &n
		return
	}
	m.addons = append(m.addons, a)
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, s := range b {
		found := false
		for _, t := range out {
			if s == t {
				found = true
				break
			}
		}
		if !found {
			out = append(out, s)
		}
	}
	return out
}

// prepare validates the addon and compiles its constraints.
func (a *Addon) prepare(user bool) error {
	if a.Name == "" {
		return errors.New("addon without a name")
	}
	if a.Name != strings.ToLower(a.Name) || strings.ContainsAny(a.Name, " \t") {
		return fmt.Errorf("addon %q: name must be lowercase without spaces", a.Name)
	}
	// The embedded data must say when it was read; user files may omit
	// asOf, but a value given must be a date.
	if a.AsOf != "" || !user {
		if !isDate(a.AsOf) {
			return fmt.Errorf("addon %s: asOf %q: want the date the sources were read (YYYY-MM-DD)", a.Name, a.AsOf)
		}
	}
	for i := range a.Detect.Charts {
		c := &a.Detect.Charts[i]
		if c.Name == "" {
			return fmt.Errorf("addon %s: chart without a name", a.Name)
		}
		for j := range c.Map {
			cm := &c.Map[j]
			con, err := semver.NewConstraint(cm.Chart)
			if err != nil {
				return fmt.Errorf("addon %s: chart %s map %q: %w", a.Name, c.Name, cm.Chart, err)
			}
			if _, err := semver.NewVersion(cm.App); err != nil {
				return fmt.Errorf("addon %s: chart %s map app version %q: %w", a.Name, c.Name, cm.App, err)
			}
			cm.c = con
		}
	}
	for _, l := range a.Detect.Labels {
		if !strings.Contains(l, "=") {
			return fmt.Errorf("addon %s: label %q: want key=value", a.Name, l)
		}
	}
	for i, r := range a.Versions {
		if r == nil {
			return fmt.Errorf("addon %s: row %d is empty", a.Name, i+1)
		}
		where := fmt.Sprintf("addon %s: row %q", a.Name, r.Versions)
		c, err := semver.NewConstraint(r.Versions)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		r.c, r.user = c, user
		switch r.Kind {
		case Supported:
			if r.K8sMin.IsZero() && r.K8sMax.IsZero() && len(r.K8s) == 0 {
				return fmt.Errorf("%s: supported row needs k8sMin/k8sMax or k8s", where)
			}
		case Tested:
			if len(r.K8s) == 0 {
				return fmt.Errorf("%s: tested row needs a k8s list", where)
			}
		case Minimum:
			if r.K8sMin.IsZero() || len(r.K8s) > 0 {
				return fmt.Errorf("%s: minimum row needs k8sMin only", where)
			}
		default:
			return fmt.Errorf("%s: kind must be supported, tested or minimum, not %q", where, r.Kind)
		}
		if !r.K8sMin.IsZero() && !r.K8sMax.IsZero() && r.K8sMax.Less(r.K8sMin) {
			return fmt.Errorf("%s: k8sMax below k8sMin", where)
		}
		sort.Slice(r.K8s, func(i, j int) bool { return r.K8s[i].Less(r.K8s[j]) })
		if r.Source == "" {
			return fmt.Errorf("%s: source is required", where)
		}
		if r.Verified == nil {
			return fmt.Errorf("%s: verified (true or false) is required", where)
		}
		if !user && !isDate(r.AsOf) {
			return fmt.Errorf("%s: asOf %q: want the date the source was read (YYYY-MM-DD)", where, r.AsOf)
		}
	}
	return nil
}

// isDate reports whether s is a calendar date in YYYY-MM-DD form.
func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
