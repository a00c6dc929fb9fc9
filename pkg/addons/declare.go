package addons

import (
	"fmt"
	"path"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// SignalDeclared marks a version read from a declaration that installs the
// addon from elsewhere (Flux HelmRelease, Argo CD Application, Chart.yaml
// dependency, Kustomize helmCharts, Terraform helm_release).
const SignalDeclared Signal = "declared"

// Declared is one chart install declared in the repository: what chart,
// which version as written, and where.
type Declared struct {
	// Kind names the declaration for messages ("Flux HelmRelease
	// flux-system/ingress-nginx").
	Kind  string
	Chart string
	// Version is the chart version as written; Expr is set instead when the
	// version is not a literal (a Terraform variable).
	Version string
	Expr    string
	// Object and Path locate the version when it is a Kubernetes object's
	// field; File and Line otherwise.
	Object *model.Object
	Path   string
	File   string
	Line   int
	// Origin is the chart or overlay directory the declaration belongs to
	// (empty for GitOps objects and Terraform).
	Origin string
}

// DetectDeclared turns a declared chart install into a detection when the
// chart is one of an addon's. The chart version maps to the addon version
// through the chart data; a floating version (a range, "*", HEAD, empty)
// or a non-literal one gives a detection whose Unknown says why no verdict
// can be made.
func (m *Matrix) DetectDeclared(dc Declared) (Detection, bool) {
	chart := chartBase(dc.Chart)
	for _, a := range m.addons {
		for _, c := range a.Detect.Charts {
			if c.Name != chart {
				continue
			}
			d := Detection{Addon: a.Name, Origin: dc.Origin, File: dc.File, Line: dc.Line}
			if dc.Object != nil {
				d.Namespace = dc.Object.EffectiveNamespace()
			}
			d.Evidence = []Evidence{{Object: dc.Object, Path: dc.Path, Signal: SignalDeclared, Value: dc.Chart + " " + dc.Version}}
			what := fmt.Sprintf("%s chart %s", dc.Kind, chart)
			switch {
			case dc.Expr != "":
				d.Unknown = fmt.Sprintf("%s version is %s, which is not a literal", what, dc.Expr)
			case strings.Contains(dc.Version, "{{") || strings.Contains(dc.Version, "${"):
				// ApplicationSet parameters, Flux post-build substitution.
				d.Unknown = fmt.Sprintf("%s version is %q, filled in at deploy time", what, dc.Version)
			case Floating(dc.Version):
				v := dc.Version
				if v == "" {
					v = "not set"
				} else {
					v = fmt.Sprintf("%q", v)
				}
				d.Unknown = fmt.Sprintf("%s version is %s, a floating version that does not pin one release", what, v)
			default:
				app := c.appFor(strings.TrimPrefix(dc.Version, "v"))
				if app == "" {
					d.Unknown = fmt.Sprintf("%s %s names no addon version in the chart data", what, dc.Version)
					break
				}
				d.Version = app
				d.VersionFrom = fmt.Sprintf("%s %s", what, dc.Version)
				if !c.ChartIsApp {
					d.VersionFrom += " (chart map)"
				}
				d.semver = parseAddonVersion(app, a.Detect.TagPrefixes)
				if d.semver == nil {
					d.Unknown = fmt.Sprintf("%s %q is not a release version", d.VersionFrom, app)
				}
			}
			d.Evidence[0].raw = d.Version
			d.Evidence[0].version = d.semver
			return d, true
		}
	}
	return Detection{}, false
}

// chartBase is the chart name of a reference that may carry a repository
// or OCI path ("oci://ghcr.io/org/charts/cert-manager", "jetstack/cert-manager").
func chartBase(ref string) string {
	ref = strings.TrimSuffix(strings.TrimSpace(ref), "/")
	if i := strings.Index(ref, "://"); i >= 0 {
		ref = ref[i+3:]
	}
	base := path.Base(ref)
	if i := strings.IndexAny(base, ":@"); i > 0 {
		base = base[:i]
	}
	return base
}

// Floating reports whether a declared chart version leaves the release
// open: empty, "*", "latest", HEAD, a wildcard component ("1.x", "1.2.*"),
// or a constraint (">=1.2", "~1.2", "^1", "1.2 - 1.4", "a || b").
func Floating(v string) bool {
	v = strings.TrimSpace(v)
	switch strings.ToLower(v) {
	case "", "*", "x", "latest", "head", "stable":
		return true
	}
	if strings.ContainsAny(v, "<>=~^|* ,") {
		return true
	}
	for _, p := range strings.Split(strings.TrimPrefix(v, "v"), ".") {
		if p == "x" || p == "X" {
			return true
		}
	}
	// "1" or "1.2" alone is read by Helm as a range too.
	core, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), "-")
	return strings.Count(core, ".") < 2
}

// declarationKind says whether o is one of the objects Declarations reads.
func declarationKind(o *model.Object) bool {
	switch o.Group() {
	case "source.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io", "argoproj.io":
		return true
	}
	return false
}

// Declarations lists the chart installs that the objects declare: Flux
// HelmRelease (spec.chart.spec, or spec.chartRef to an OCIRepository or
// HelmChart among objs) and Argo CD Application/ApplicationSet (source,
// sources[], and an ApplicationSet's template). Output is in input order.
func Declarations(objs []*model.Object) []Declared {
	byRef := map[string]*model.Object{}
	for _, o := range objs {
		if o.Group() == "source.toolkit.fluxcd.io" && (o.Kind == "OCIRepository" || o.Kind == "HelmChart") {
			byRef[o.Kind+"/"+o.EffectiveNamespace()+"/"+o.Name] = o
		}
	}
	var out []Declared
	for _, o := range objs {
		switch {
		case o.Group() == "helm.toolkit.fluxcd.io" && o.Kind == "HelmRelease":
			out = append(out, helmRelease(o, byRef)...)
		case o.Group() == "argoproj.io" && o.Kind == "Application":
			out = append(out, argoSources(o, "spec", "Argo CD Application "+nsName(o))...)
		case o.Group() == "argoproj.io" && o.Kind == "ApplicationSet":
			out = append(out, argoSources(o, "spec.template.spec", "Argo CD ApplicationSet "+nsName(o))...)
		}
	}
	return out
}

func str(o *model.Object, p string) (string, bool) {
	v, ok := o.Get(p)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		// A number written unquoted (version: 1.2) is still a version.
		if v == nil {
			return "", true
		}
		return fmt.Sprint(v), true
	}
	return s, true
}

func helmRelease(o *model.Object, byRef map[string]*model.Object) []Declared {
	kind := "Flux HelmRelease " + nsName(o)
	if chart, ok := str(o, "spec.chart.spec.chart"); ok {
		d := Declared{Kind: kind, Chart: chart, Object: o, Path: "spec.chart.spec.version"}
		if v, ok := str(o, d.Path); ok {
			d.Version = v
		} else {
			d.Path = "spec.chart.spec.chart" // Flux defaults to "*": report at the chart
		}
		return []Declared{d}
	}
	rk, _ := str(o, "spec.chartRef.kind")
	rn, _ := str(o, "spec.chartRef.name")
	if rk == "" || rn == "" {
		return nil
	}
	ns, _ := str(o, "spec.chartRef.namespace")
	if ns == "" {
		ns = o.EffectiveNamespace()
	}
	src := byRef[rk+"/"+ns+"/"+rn]
	if src == nil {
		return nil
	}
	switch rk {
	case "OCIRepository":
		u, _ := str(src, "spec.url")
		d := Declared{Kind: kind + " (OCIRepository " + nsName(src) + ")", Chart: u, Object: src}
		for _, p := range []string{"spec.ref.digest", "spec.ref.semver", "spec.ref.tag"} {
			if v, ok := str(src, p); ok {
				d.Path, d.Version = p, v
				if p == "spec.ref.digest" {
					d.Version = "" // a digest pins no readable version
				}
				break
			}
		}
		if d.Path == "" {
			d.Path = "spec.url" // no ref: Flux pulls latest
		}
		return []Declared{d}
	case "HelmChart":
		chart, _ := str(src, "spec.chart")
		d := Declared{Kind: kind + " (HelmChart " + nsName(src) + ")", Chart: chart, Object: src, Path: "spec.version"}
		if v, ok := str(src, d.Path); ok {
			d.Version = v
		} else {
			d.Path = "spec.chart"
		}
		return []Declared{d}
	}
	return nil
}

func argoSources(o *model.Object, spec, kind string) []Declared {
	var out []Declared
	one := func(p string) {
		chart, ok := str(o, p+".chart")
		if !ok || chart == "" {
			return // a Git path or plain manifests, not a Helm chart
		}
		d := Declared{Kind: kind, Chart: chart, Object: o, Path: p + ".targetRevision"}
		if v, ok := str(o, d.Path); ok {
			d.Version = v
		} else {
			d.Path = p + ".chart"
		}
		out = append(out, d)
	}
	one(spec + ".source")
	if srcs, ok := o.Get(spec + ".sources"); ok {
		if l, ok := srcs.([]any); ok {
			for i := range l {
				one(model.JoinIndex(spec+".sources", i))
			}
		}
	}
	return out
}

// nsName is namespace/name, or name for objects without a namespace.
func nsName(o *model.Object) string {
	if ns := o.EffectiveNamespace(); ns != "" {
		return ns + "/" + o.Name
	}
	return o.Name
}
