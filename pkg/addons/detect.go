package addons

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/workload"
)

// Signal names what kind of evidence identified an addon.
type Signal string

const (
	SignalImage Signal = "image"
	SignalChart Signal = "chart"
	SignalLabel Signal = "label"
	SignalCRD   Signal = "crd"
)

// Evidence is one object (and field) showing an addon is installed.
type Evidence struct {
	Object *model.Object
	// Path is the field the evidence was read from
	// (spec.template.spec.containers[0].image).
	Path   string
	Signal Signal
	// Value is the image, label value or CRD group as written.
	Value string

	version *semver.Version
	raw     string // version text as read
	unknown string // why an image that should carry the version does not
}

// Detection is one installed instance of an addon.
type Detection struct {
	Addon string
	// Namespace and Origin (chart or overlay directory) identify the
	// instance.
	Namespace string
	Origin    string
	// Version is the addon version as written ("v1.15.1"); empty when it
	// could not be read.
	Version string
	// VersionFrom says where Version was read ("image
	// registry.k8s.io/ingress-nginx/controller:v1.15.1").
	VersionFrom string
	// Unknown says why the version could not be read (digest-only image,
	// "latest" tag); empty when Version is set or the evidence never carries
	// a version (CRDs only).
	Unknown string
	// Evidence lists every object that shows the addon, in input order; the
	// first is where the version was read when there is one.
	Evidence []Evidence
	// File and Line locate a detection read from a file that is not a
	// Kubernetes object (Chart.yaml, kustomization.yaml, a .tf file): the
	// line of the version, or of the entry when the version is absent.
	File string
	Line int

	semver *semver.Version
}

// Semver returns the parsed version, nil when unknown.
func (d *Detection) Semver() *semver.Version { return d.semver }

// Primary is the evidence findings are reported on.
func (d *Detection) Primary() Evidence {
	if len(d.Evidence) == 0 {
		return Evidence{}
	}
	return d.Evidence[0]
}

// DetectChart recognises an addon from chart metadata (Chart.yaml or a
// dependency). The chart's appVersion is the addon version for every chart
// in the data; the chart version is used only when it equals the addon
// version by design or a chart map says which addon version it ships.
func (m *Matrix) DetectChart(name, version, appVersion string) (Detection, bool) {
	for _, a := range m.addons {
		for _, c := range a.Detect.Charts {
			if c.Name != name {
				continue
			}
			d := Detection{Addon: a.Name}
			switch {
			case appVersion != "":
				d.Version, d.VersionFrom = appVersion, fmt.Sprintf("chart %s %s appVersion", name, version)
			case c.ChartIsApp && version != "":
				d.Version, d.VersionFrom = version, fmt.Sprintf("chart %s version", name)
			default:
				if v := c.appFor(version); v != "" {
					d.Version, d.VersionFrom = v, fmt.Sprintf("chart %s %s (chart map)", name, version)
				}
			}
			if d.Version != "" {
				d.semver = parseAddonVersion(d.Version, a.Detect.TagPrefixes)
				if d.semver == nil {
					d.Unknown = fmt.Sprintf("%s %q is not a release version", d.VersionFrom, d.Version)
				}
			} else {
				d.Unknown = fmt.Sprintf("chart %s %s names no addon version", name, version)
			}
			return d, true
		}
	}
	return Detection{}, false
}

// appFor maps a chart version to the addon version it ships.
func (c ChartSignal) appFor(chartVersion string) string {
	cv, err := semver.NewVersion(chartVersion)
	if err != nil {
		return ""
	}
	if c.ChartIsApp {
		return chartVersion
	}
	for _, m := range c.Map {
		if m.c != nil && m.c.Check(cv) {
			return m.App
		}
	}
	return ""
}

// Detect finds addon instances in objs. Evidence is grouped per addon and
// instance (the chart or overlay that rendered it, else the namespace); an
// instance whose images carry different versions yields one detection per
// version. Detections resting only on CRDs are kept only when the addon is
// not otherwise detected. The result is sorted by addon, namespace, origin
// and version.
func (m *Matrix) Detect(objs []*model.Object) []Detection {
	// Only objects that show an addon, and the declaration kinds, take
	// part: a large repository has few of them, and sorting all its
	// objects was most of the cost.
	type item struct {
		o  *model.Object
		ev []addonEvidence
	}
	var items []item
	for _, o := range objs {
		ev := m.evidence(o)
		if len(ev) > 0 || declarationKind(o) {
			items = append(items, item{o, ev})
		}
	}
	// Evidence is grouped in a fixed order, so the result does not depend on
	// the order objects arrive in (streamed scans hand them over as units
	// finish).
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i].o.Source, items[j].o.Source
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Origin != b.Origin {
			return a.Origin < b.Origin
		}
		if a.Doc != b.Doc {
			return a.Doc < b.Doc
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return items[i].o.Kind+"/"+items[i].o.Name < items[j].o.Kind+"/"+items[j].o.Name
	})
	objs = make([]*model.Object, len(items))
	for i, it := range items {
		objs[i] = it.o
	}
	type key struct{ addon, instance string }
	groups := map[key][]Evidence{}
	var order []key
	for _, it := range items {
		for _, e := range it.ev {
			k := key{e.addon, instanceKey(it.o)}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], e.Evidence)
		}
	}
	var out []Detection
	versioned := map[string]bool{}
	for _, k := range order {
		for _, d := range split(k.addon, groups[k]) {
			if d.hasNonCRD() {
				versioned[d.Addon] = true
			}
			out = append(out, d)
		}
	}
	out = attachUnversioned(out)
	// Declarations (HelmRelease, Application) are instances of their own.
	for _, dc := range Declarations(objs) {
		if d, ok := m.DetectDeclared(dc); ok {
			out = append(out, d)
		}
	}
	kept := out[:0]
	for _, d := range out {
		if !d.hasNonCRD() && versioned[d.Addon] {
			continue
		}
		kept = append(kept, d)
	}
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		if a.Addon != b.Addon {
			return a.Addon < b.Addon
		}
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		if a.Origin != b.Origin {
			return a.Origin < b.Origin
		}
		return a.Version < b.Version
	})
	return kept
}

// attachUnversioned merges detections without image evidence into an
// image-evidenced detection of the same addon from the same file or chart:
// a plain install file puts cluster-scoped objects (RBAC, webhooks, CRDs,
// the Namespace) outside the workload's namespace, but they belong to the
// same instance. A detection whose labels name a different version stays
// separate.
func attachUnversioned(ds []Detection) []Detection {
	unit := func(d *Detection) string {
		if d.Origin != "" {
			return "origin:" + d.Origin
		}
		if o := d.Primary().Object; o != nil {
			return "file:" + o.Source.File
		}
		return ""
	}
	hasImage := func(d *Detection) bool {
		for _, e := range d.Evidence {
			if e.Signal == SignalImage {
				return true
			}
		}
		return false
	}
	drop := make([]bool, len(ds))
	for i := range ds {
		d := &ds[i]
		if hasImage(d) {
			continue
		}
		for j := range ds {
			t := &ds[j]
			if i == j || drop[j] || t.Addon != d.Addon || !hasImage(t) || unit(t) != unit(d) || unit(d) == "" {
				continue
			}
			if d.semver != nil && (t.semver == nil || !d.semver.Equal(t.semver)) {
				continue
			}
			t.Evidence = append(t.Evidence, d.Evidence...)
			drop[i] = true
			break
		}
	}
	out := ds[:0]
	for i, d := range ds {
		if !drop[i] {
			out = append(out, d)
		}
	}
	return out
}

func (d *Detection) hasNonCRD() bool {
	for _, e := range d.Evidence {
		if e.Signal != SignalCRD {
			return true
		}
	}
	return false
}

func instanceKey(o *model.Object) string {
	if o.Source.Origin != "" {
		return "origin:" + o.Source.Origin
	}
	if o.Kind == "CustomResourceDefinition" {
		return "crd"
	}
	return "ns:" + o.EffectiveNamespace()
}

// split turns one instance's evidence into detections: one per distinct
// image version, or one for the whole group. The version comes from the
// strongest signal: image tag, then app.kubernetes.io/version, then a
// mapped chart label.
func split(addon string, evs []Evidence) []Detection {
	rank := func(s Signal) int {
		switch s {
		case SignalImage:
			return 3
		case SignalLabel:
			return 2
		case SignalChart:
			return 1
		}
		return 0
	}
	var versions []string // distinct image versions, in order
	seen := map[string]bool{}
	for _, e := range evs {
		if e.Signal == SignalImage && e.version != nil && !seen[e.version.String()] {
			seen[e.version.String()] = true
			versions = append(versions, e.version.String())
		}
	}
	build := func(evs []Evidence) Detection {
		d := Detection{Addon: addon}
		best := -1
		for i, e := range evs {
			if e.version != nil && (best < 0 || rank(e.Signal) > rank(evs[best].Signal)) {
				best = i
			}
		}
		if best >= 0 {
			e := evs[best]
			d.semver, d.Version = e.version, e.raw
			d.VersionFrom = describe(e)
			// Put the evidence the version came from first.
			evs = append([]Evidence{e}, append(append([]Evidence(nil), evs[:best]...), evs[best+1:]...)...)
		} else {
			for i, e := range evs {
				if e.unknown != "" {
					d.Unknown = e.unknown
					evs = append([]Evidence{e}, append(append([]Evidence(nil), evs[:i]...), evs[i+1:]...)...)
					break
				}
			}
		}
		d.Evidence = evs
		if o := evs[0].Object; o != nil {
			d.Origin = o.Source.Origin
			if o.Kind != "CustomResourceDefinition" {
				d.Namespace = o.EffectiveNamespace()
			}
		}
		return d
	}
	if len(versions) <= 1 {
		return []Detection{build(evs)}
	}
	// Several image versions in one instance: one detection per version.
	// Evidence without an image version goes with the oldest, the one most
	// likely to fail.
	sort.Slice(versions, func(i, j int) bool {
		return semver.MustParse(versions[i]).LessThan(semver.MustParse(versions[j]))
	})
	out := make([]Detection, 0, len(versions))
	for i, v := range versions {
		var part []Evidence
		for _, e := range evs {
			isImg := e.Signal == SignalImage && e.version != nil
			if isImg && e.version.String() == v || !isImg && i == 0 {
				part = append(part, e)
			}
		}
		out = append(out, build(part))
	}
	return out
}

func describe(e Evidence) string {
	switch e.Signal {
	case SignalImage:
		return "image " + e.Value
	case SignalChart:
		return "label helm.sh/chart=" + e.Value
	case SignalLabel:
		return "label app.kubernetes.io/version=" + e.raw
	}
	return string(e.Signal) + " " + e.Value
}

type addonEvidence struct {
	addon string
	Evidence
}

// HasEvidence reports whether o shows any addon of the matrix (an image, a
// chart or identity label, a CRD group); streaming scans keep a compact copy
// of such objects for detection.
func (m *Matrix) HasEvidence(o *model.Object) bool { return len(m.evidence(o)) > 0 }

// evidence lists what one object shows, for every addon it matches.
func (m *Matrix) evidence(o *model.Object) []addonEvidence {
	// What every addon compares is read once per object, not once per
	// addon (this runs for every object of a scan).
	in := objectSignals{labels: o.Labels()}
	for _, img := range images(o) {
		ref := parseImage(img.value)
		in.images = append(in.images, img)
		in.refs = append(in.refs, ref)
		in.repos = append(in.repos, strings.ToLower(ref.Repo))
	}
	var out []addonEvidence
	for _, a := range m.addons {
		out = append(out, a.evidence(o, &in)...)
	}
	return out
}

// objectSignals are an object's images (with their parsed references) and
// labels.
type objectSignals struct {
	images []imageField
	refs   []imageRef
	repos  []string // refs' repositories in lower case
	labels map[string]string
}

func (a *Addon) evidence(o *model.Object, in *objectSignals) []addonEvidence {
	var out []addonEvidence
	add := func(e Evidence) { out = append(out, addonEvidence{a.Name, e}) }

	// Container images of every pod template.
	for i, img := range in.images {
		ref := in.refs[i]
		versioned := matchAny(in.repos[i], a.Detect.Images)
		if !versioned && !matchAny(in.repos[i], a.Detect.UnversionedImages) {
			continue
		}
		e := Evidence{Object: o, Path: img.path(), Signal: SignalImage, Value: img.value}
		if versioned {
			e.raw = ref.Tag
			e.version = parseAddonVersion(ref.Tag, a.Detect.TagPrefixes)
			switch {
			case e.version != nil:
			case ref.Tag == "" && ref.Digest != "":
				e.unknown = "image " + img.value + " is pinned by digest only"
			case ref.Tag == "" || ref.Tag == "latest":
				e.unknown = "image " + img.value + " has no version tag"
			default:
				e.unknown = fmt.Sprintf("image tag %q is not a version", ref.Tag)
			}
		}
		add(e)
	}

	labels := in.labels
	// helm.sh/chart: <name>-<chartVersion>.
	if cl := labels["helm.sh/chart"]; cl != "" {
		name, ver := splitChartLabel(cl)
		for _, c := range a.Detect.Charts {
			if c.Name != name {
				continue
			}
			e := Evidence{Object: o, Path: model.JoinKey("metadata.labels", "helm.sh/chart"), Signal: SignalChart, Value: cl}
			if app := c.appFor(ver); app != "" {
				e.raw, e.version = app, parseAddonVersion(app, nil)
			}
			add(e)
			break
		}
	}
	// Identity labels, with app.kubernetes.io/version when it is the addon's.
	if l := a.matchLabels(labels); l != "" {
		e := Evidence{Object: o, Path: "metadata.labels", Signal: SignalLabel, Value: l}
		if v := labels["app.kubernetes.io/version"]; a.Detect.VersionLabel && v != "" {
			e.Path = model.JoinKey("metadata.labels", "app.kubernetes.io/version")
			e.raw, e.version = v, parseAddonVersion(v, a.Detect.TagPrefixes)
		}
		add(e)
	}
	// CRDs of the addon's API groups.
	if o.Kind == "CustomResourceDefinition" {
		spec, _ := o.Data["spec"].(map[string]any)
		g, _ := spec["group"].(string)
		for _, want := range a.Detect.CRDGroups {
			if g == want {
				add(Evidence{Object: o, Path: "spec.group", Signal: SignalCRD, Value: g})
				break
			}
		}
	}
	return out
}

// matchLabels returns the identifying label ("key=value") that marks the
// object as the addon's, or "".
func (a *Addon) matchLabels(labels map[string]string) string {
	if len(labels) == 0 {
		return ""
	}
	if n := labels["app.kubernetes.io/name"]; n != "" {
		for _, want := range a.Detect.Names {
			if n == want {
				return "app.kubernetes.io/name=" + n
			}
		}
	}
	for _, kv := range a.Detect.Labels {
		k, v, _ := strings.Cut(kv, "=")
		if got, ok := labels[k]; ok && got == v {
			return kv
		}
	}
	return ""
}

var chartVersionRE = regexp.MustCompile(`^v?[0-9]+\.[0-9]+`)

// splitChartLabel splits "ingress-nginx-4.15.1" at the first dash after
// which the rest reads as a version ("chart-1.0.0-rc.1" keeps the
// pre-release).
func splitChartLabel(s string) (name, version string) {
	for i := 1; i < len(s); i++ {
		if s[i-1] != '-' || (s[i] < '0' || s[i] > '9') && s[i] != 'v' {
			continue
		}
		if !chartVersionRE.MatchString(s[i:]) {
			continue
		}
		if _, err := semver.NewVersion(s[i:]); err == nil {
			return s[:i-1], s[i:]
		}
	}
	return s, ""
}

// matchAny reports whether repo (in lower case) ends with one of suffixes.
func matchAny(repo string, suffixes []string) bool {
	for _, s := range suffixes {
		if hasLowerSuffix(repo, s) {
			return true
		}
	}
	return false
}

// imageField is one image; its path is built only for evidence (most
// images match no addon).
type imageField struct {
	spec, list string // pod spec path, containers or initContainers
	index      int
	value      string
}

func (f imageField) path() string {
	return model.JoinKey(model.JoinIndex(model.JoinKey(f.spec, f.list), f.index), "image")
}

// images lists container and init container images of the object's pod
// template with their field paths.
func images(o *model.Object) []imageField {
	_, specPath, runs, ok := workload.Template(o)
	if !ok || !runs {
		return nil
	}
	// The template paths are plain keys, so specPath is also the field
	// path of the spec.
	var cur any = o.Data
	for rest := specPath; rest != ""; {
		var k string
		k, rest, _ = strings.Cut(rest, ".")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	p := specPath
	spec, ok := cur.(map[string]any)
	if !ok {
		return nil
	}
	var out []imageField
	for _, list := range []string{"initContainers", "containers"} {
		cs, _ := spec[list].([]any)
		for i, c := range cs {
			cm, _ := c.(map[string]any)
			img, _ := cm["image"].(string)
			if img == "" {
				continue
			}
			out = append(out, imageField{spec: p, list: list, index: i, value: img})
		}
	}
	return out
}
