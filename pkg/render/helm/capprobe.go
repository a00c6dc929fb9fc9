package helm

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// A chart is rendered for every minor of a plan's range, but most charts
// render the same objects at many of those minors. Rendering once per minor
// would make a 12-hop plan cost 13 scans. Instead, templates see a
// .Capabilities that records what they read. A render at minor r then
// stands for every minor v where each recorded observation gives the same
// answer. Template execution is deterministic given its inputs, so the
// render at v would take the same path and produce the same output.
//
// APIVersions.Has queries are recorded exactly. Reads of the Kubernetes
// version cannot be followed into sprig's semverCompare, so for them the
// chart's own version literals stand in: every semver constraint string in
// its templates and values, and the small integers of template actions that
// speak of a minor, a major or a semver (the minor compared as a number). A chart whose kubeVersion excludes a minor renders there on its
// own, because the finding names the minor.

// maxObservations bounds what a probe may hold: a chart asking more
// questions than this renders at every minor instead (the work of comparing
// answers grows with their number, and the chart's text is untrusted).
const maxObservations = 256

// CapProbe is what one chart render read of its capabilities.
type CapProbe struct {
	// All: the capabilities were used in a way the probe cannot follow
	// (ranged over, passed whole); every minor renders on its own.
	All bool
	// Has are the APIVersions.Has queries made.
	Has []string
	// Kube: the Kubernetes version was read; Constraints and Ints are the
	// chart's literals its answers are judged by (an integer n splits the
	// minors below, at and above n).
	Kube        bool
	Constraints []string
	Ints        []int
	// KubeVersion is the chart's own kubeVersion constraint.
	KubeVersion string
}

// merge adds what another render of the same unit read.
func (p *CapProbe) merge(q *CapProbe) {
	if q == nil {
		return
	}
	p.All = p.All || q.All
	p.Kube = p.Kube || q.Kube
	p.Has = mergeSorted(p.Has, q.Has)
	p.Constraints = mergeSorted(p.Constraints, q.Constraints)
	p.Ints = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(p.Ints), q.Ints...))))
	if p.KubeVersion == "" {
		p.KubeVersion = q.KubeVersion
	}
}

func mergeSorted(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	set := map[string]bool{}
	for _, s := range a {
		set[s] = true
	}
	for _, s := range b {
		set[s] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// Keys says, for each minor of vs, what the render recorded by p would
// observe there, where the scan's CRDs add crdAPIs to the served API
// versions: two minors with the same key render the same output. The
// chart's constraints are parsed once for all minors.
func (p *CapProbe) Keys(vs []kubeversion.Version, crdAPIs []string) []string {
	keys := make([]string, len(vs))
	if p == nil {
		return keys
	}
	if p.All || len(p.Has)+len(p.Constraints)+len(p.Ints) > maxObservations {
		for i, v := range vs {
			keys[i] = v.String()
		}
		return keys
	}
	var cons []*semver.Constraints // nil where a literal does not parse
	if p.Kube {
		cons = make([]*semver.Constraints, len(p.Constraints))
		for i, c := range p.Constraints {
			cons[i], _ = semver.NewConstraint(c)
		}
	}
	for i, v := range vs {
		var b strings.Builder
		if p.KubeVersion != "" && !chartutil.IsCompatibleRange(p.KubeVersion, gitVersion(v)) {
			// The chart-kube-version finding names the minor.
			b.WriteString("excluded " + v.String() + ";")
		}
		if len(p.Has) > 0 {
			served := map[string]bool{}
			for _, a := range servedAPIs(v) {
				served[a] = true
			}
			for _, a := range crdAPIs {
				served[a] = true
			}
			for _, q := range p.Has {
				b.WriteByte(bit(served[q]))
			}
		}
		if p.Kube {
			b.WriteByte(';')
			sv := semver.New(uint64(v.Major), uint64(v.Minor), 0, "", "")
			for _, c := range cons {
				b.WriteByte(bit(c != nil && c.Check(sv)))
			}
			b.WriteByte(';')
			for _, n := range p.Ints {
				switch {
				case v.Minor < n:
					b.WriteByte('<')
				case v.Minor == n:
					b.WriteByte('=')
				default:
					b.WriteByte('>')
				}
			}
		}
		keys[i] = b.String()
	}
	return keys
}

func bit(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}

func gitVersion(v kubeversion.Version) string { return "v" + v.String() + ".0" }

// capRecord collects one render's observations.
type capRecord struct {
	has  map[string]bool
	kube bool
}

// probeCaps is the .Capabilities templates see: the same fields as Helm's,
// but the Kubernetes version and API versions answer through methods that
// record the question.
type probeCaps struct {
	KubeVersion probeKubeVersion
	APIVersions probeAPIVersions
	HelmVersion any // Helm's BuildInfo, an internal type
	real        *chartutil.Capabilities
}

// String prints what Helm's capabilities print (toString), for the Helm
// version check of Bitnami's common library, the one whole-value use the
// probe allows (helmVersionCheck).
func (c *probeCaps) String() string { return fmt.Sprintf("%v", c.real) }

type probeKubeVersion struct {
	v   chartutil.KubeVersion
	rec *capRecord
}

func (k probeKubeVersion) Version() string    { k.rec.kube = true; return k.v.Version }
func (k probeKubeVersion) GitVersion() string { k.rec.kube = true; return k.v.Version }
func (k probeKubeVersion) String() string     { k.rec.kube = true; return k.v.Version }
func (k probeKubeVersion) Major() string      { k.rec.kube = true; return k.v.Major }
func (k probeKubeVersion) Minor() string      { k.rec.kube = true; return k.v.Minor }

type probeAPIVersions struct {
	set chartutil.VersionSet
	rec *capRecord
}

// Has answers like chartutil.VersionSet.Has and records the question.
func (a probeAPIVersions) Has(apiVersion string) bool {
	ok := a.set.Has(apiVersion)
	a.rec.has[apiVersion] = ok
	return ok
}

// capsUse finds every mention of the capabilities in a template, with what
// follows it.
var capsUse = regexp.MustCompile(`(^|[^A-Za-z0-9_])\.Capabilities\b(\.[A-Za-z]+)*`)

// probeable says whether every use of .Capabilities in the chart's
// templates (and texts tpl may run) goes through a field the probe answers
// the way Helm does.
func probeable(ch *chart.Chart, values map[string]any) bool {
	ok := true
	walkTemplates(ch, values, func(text string) {
		text = helmVersionCheck.ReplaceAllString(text, "")
		for _, m := range capsUse.FindAllString(text, -1) {
			m = m[strings.Index(m, ".Capabilities")+1:]
			switch {
			case m == "Capabilities.APIVersions.Has",
				strings.HasPrefix(m, "Capabilities.HelmVersion"),
				m == "Capabilities.KubeVersion",
				m == "Capabilities.KubeVersion.Version", m == "Capabilities.KubeVersion.GitVersion",
				m == "Capabilities.KubeVersion.Major", m == "Capabilities.KubeVersion.Minor":
			default:
				ok = false
			}
		}
	})
	return ok
}

// helmVersionCheck is Bitnami's test for Helm 3.3+: a pattern anchored at
// the end of the printed capabilities, which only the Helm version (the
// last field) can match, so its answer is the same at every minor.
var helmVersionCheck = regexp.MustCompile(`regexMatch\s+"\{\(v\[0-9\]\)\*\[\^\}\]\*\}\}\$"\s+\(\s*\.Capabilities\s*\|\s*toString\s*\)`)

// walkTemplates calls fn with every text of the chart and its
// dependencies that can be executed as a template: the templates, and the
// other files and string values, which tpl may execute.
func walkTemplates(ch *chart.Chart, values map[string]any, fn func(string)) {
	var walk func(c *chart.Chart)
	walk = func(c *chart.Chart) {
		for _, t := range c.Templates {
			fn(string(t.Data))
		}
		for _, f := range c.Files {
			if strings.Contains(string(f.Data), "{{") {
				fn(string(f.Data))
			}
		}
		for _, d := range c.Dependencies() {
			walk(d)
		}
	}
	walk(ch)
	walkStrings(values, func(s string) {
		if strings.Contains(s, "{{") {
			fn(s)
		}
	})
}

// walkStrings calls fn with every string in a values tree.
func walkStrings(v any, fn func(string)) {
	switch t := v.(type) {
	case string:
		fn(t)
	case map[string]any:
		for _, x := range t {
			walkStrings(x, fn)
		}
	case chartutil.Values:
		for _, x := range t {
			walkStrings(x, fn)
		}
	case []any:
		for _, x := range t {
			walkStrings(x, fn)
		}
	}
}

var (
	quoted = regexp.MustCompile("\"(?:[^\"\\\\\\n]|\\\\.)*\"|`[^`]*`")
	action = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	intLit = regexp.MustCompile(`\b\d{1,3}\b`)
	// an action about version numbers: .Minor, $kubeMinor, semver objects.
	numberish = regexp.MustCompile(`(?i)minor|major|semver`)
	// a constraint: optional operators, then a version, optionally more.
	constraintLike = regexp.MustCompile(`^\s*[<>=!~^]*\s*v?\d+(\.[\dx*]+)*(-[0-9A-Za-z.]+)?(\s*(,|\|\|)?\s*[<>=!~^]*\s*v?\d+(\.[\dx*]+)*(-[0-9A-Za-z.]+)?)*\s*$`)
)

// literals collects the chart's version-like literals, from its templates
// and from the string values it is rendered with (a constraint may come
// from values through a variable).
func literals(ch *chart.Chart, values map[string]any) ([]string, []int) {
	cons := map[string]bool{}
	nums := map[int]bool{}
	add := func(s string) {
		// A bare version ("1.35", an image tag) is left out: as a
		// constraint it would mean "exactly", which charts do not use.
		if strings.ContainsAny(s, "0123456789") && strings.ContainsAny(s, "<>=~^!xX*") && constraintLike.MatchString(s) {
			cons[s] = true
		}
	}
	walkTemplates(ch, values, func(text string) {
		for _, a := range action.FindAllString(text, -1) {
			for _, q := range quoted.FindAllString(a, -1) {
				if s, err := strconv.Unquote(q); err == nil {
					add(s)
				}
			}
			// Integers count where a minor or major number is about.
			if !numberish.MatchString(a) {
				continue
			}
			for _, n := range intLit.FindAllString(quoted.ReplaceAllString(a, ""), -1) {
				if x, err := strconv.Atoi(n); err == nil {
					nums[x] = true
				}
			}
		}
	})
	walkStrings(values, add)
	return slices.Sorted(maps.Keys(cons)), slices.Sorted(maps.Keys(nums))
}

// servedAPIs caches the target's served APIs for charts when the caller
// gave none.
var servedAPIsCache sync.Map // kubeversion.Version -> []string

func servedAPIs(v kubeversion.Version) []string {
	if a, ok := servedAPIsCache.Load(v); ok {
		return a.([]string)
	}
	a := kubeversion.Default().ServedAPIs(v)
	servedAPIsCache.Store(v, a)
	return a
}
