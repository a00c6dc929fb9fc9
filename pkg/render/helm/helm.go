// Package helm renders Helm charts offline, for one target Kubernetes
// version: charts are read with the safety checks of load.go, values are
// validated without fetching schemas, random and time functions render
// deterministically, and every object is located at the template line
// that produced it. The render also records which capabilities the
// templates read (capprobe.go), so a plan renders a chart once per group of
// minors it cannot tell apart.
package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/strvals"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
)

// Options configure chart rendering. Values are applied in this order,
// later winning: the chart's values.yaml, ValuesFiles, Set, SetString, then
// the chart's entry in Charts.
type Options struct {
	// ValuesFiles are applied to every chart (--values/-f).
	ValuesFiles []string
	// Set and SetString are "key=value" assignments in Helm's --set syntax
	// (--set, --set-string), applied to every chart.
	Set       []string
	SetString []string
	// Charts holds per-chart settings keyed by chart path (as displayed, or
	// any path that cleans to the same file).
	Charts map[string]ChartConfig
	// CIValues also renders the chart once per ci/*values*.yaml file
	// (--chart-ci-values).
	CIValues bool
}

// ChartConfig is the per-chart section of the config file.
type ChartConfig struct {
	// Values are values files (relative to the working directory).
	Values []string `yaml:"values" json:"values"`
	// Set and SetString assign values by dotted path, like --set and
	// --set-string.
	Set         map[string]string `yaml:"set" json:"set"`
	SetString   map[string]string `yaml:"setString" json:"setString"`
	ReleaseName string            `yaml:"releaseName" json:"releaseName"`
	Namespace   string            `yaml:"namespace" json:"namespace"`
}

// IsPackagedChart reports whether a .tgz holds a chart: a Chart.yaml one
// directory below the archive root, as `helm package` writes it.
// Only the first MaxFileSize decompressed bytes are looked at, so a gzip
// bomb costs no more than that.
func IsPackagedChart(p string) bool {
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() {
		return false // opening a FIFO would block
	}
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer func() { _ = f.Close() }() // read-only: a close error changes nothing
	gz, err := gzip.NewReader(f)
	if err != nil {
		return false
	}
	tr := tar.NewReader(io.LimitReader(gz, decode.MaxFileSize))
	for i := 0; i < 10000; i++ {
		h, err := tr.Next()
		if err != nil {
			return false
		}
		name := strings.TrimPrefix(path.Clean(filepath.ToSlash(h.Name)), "./")
		parts := strings.Split(name, "/")
		if len(parts) == 2 && parts[1] == "Chart.yaml" {
			return true
		}
	}
	return false
}

// release is one rendering of a chart: its values and identity.
type release struct {
	name, namespace string
	values          map[string]any
	valueFiles      []string // display paths, for Source.Values
}

// Chart is one chart to render.
type Chart struct {
	Path string // display path
	Dir  string // filesystem path: a chart directory or a packaged .tgz
	Root string // the scanned tree: nothing outside it is read for the chart
	// ValuesInline (Kustomize helmCharts valuesInline) win over every
	// other value.
	ValuesInline map[string]any
	// SkipCRDs leaves out the chart's crds/ directory.
	SkipCRDs bool
}

// Config is what charts are rendered with.
type Config struct {
	// Target is the Kubernetes version charts are rendered for.
	Target kubeversion.Version
	// APIVersions are the group/versions and group/version/Kinds the target
	// serves (.Capabilities.APIVersions); nil: those the target serves.
	APIVersions []string
	// MaxFileSize bounds every file read (0: decode.MaxFileSize).
	MaxFileSize int64
	// Helm holds the values and per-chart settings.
	Helm Options
	// CRDAPIs lists the API versions the scanned tree's CRDs define, added
	// to the capabilities; it is called once per render.
	CRDAPIs func() []string
	// Probe records what templates read of the capabilities (a scan
	// judging several minors needs it; capprobe.go). Without it Render
	// returns no probe.
	Probe bool
}

// helmRender renders one chart unit, turning every failure into a problem.
type helmRender struct {
	u        Chart
	cfg      Config
	packaged bool
	files    *chartFiles
	objs     []*model.Object
	probs    []model.Problem
	// probe is what the renders read of the capabilities (capprobe.go).
	probe CapProbe
}

// Render renders a chart (once, or once per CI values file) and says what
// its templates read of the capabilities. Every failure is a located
// problem; a panic costs this chart only.
func Render(ctx context.Context, c Chart, cfg Config) (objs []*model.Object, probs []model.Problem, probe *CapProbe) {
	h := &helmRender{u: c, cfg: cfg}
	h.packaged = !paths.IsDir(c.Dir)
	h.files = newChartFiles(c.Dir, c.Path, h.packaged)
	defer func() {
		if r := recover(); r != nil {
			objs = nil
			probs = append(append([]model.Problem(nil), h.probs...), h.problem(h.chartFile(), 0, "", "rendering the chart crashed: "+clip(fmt.Sprint(r), 500)))
			probe = &CapProbe{All: true}
		}
	}()
	h.run(ctx)
	if !cfg.Probe {
		return h.objs, h.probs, nil
	}
	return h.objs, h.probs, &h.probe
}

// clip shortens s to at most n bytes (a panic value or template error can
// carry a whole template or value).
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("... (%d more bytes)", len(s)-cut)
}

// chartFile is where chart-level problems are reported.
func (h *helmRender) chartFile() string {
	if h.packaged {
		return h.u.Path
	}
	return path.Join(h.u.Path, "Chart.yaml")
}

func (h *helmRender) problem(file string, line int, detail, msg string) model.Problem {
	return model.Problem{Rule: "render-error", File: file, Line: line, Message: msg, Origin: h.u.Path, Kind: model.SourceHelm, Detail: detail}
}

func (h *helmRender) run(ctx context.Context) {
	src, err := h.readChart()
	if err != nil {
		var ref *refusal
		if errors.As(err, &ref) {
			h.probs = append(h.probs, h.problem(ref.file, 0, "", ref.msg))
		} else {
			h.probs = append(h.probs, h.problem(h.chartFile(), 0, "", err.Error()))
		}
		return
	}
	ch, err := src.load()
	if err != nil {
		h.probs = append(h.probs, h.problem(h.chartFile(), 0, "", fmt.Sprintf("cannot load chart %s: %v", h.u.Path, err)))
		return
	}
	name := ch.Name()
	if ch.Metadata.Type == "library" {
		return // library charts only provide helpers; nothing to install
	}
	h.probe.KubeVersion = ch.Metadata.KubeVersion
	if c := ch.Metadata.KubeVersion; c != "" && !chartutil.IsCompatibleRange(c, h.kubeVersion()) {
		h.probs = append(h.probs, model.Problem{
			Rule: "chart-kube-version", File: h.chartFile(), Line: h.files.chartYAMLLine("kubeVersion"),
			Message: fmt.Sprintf("chart %s declares kubeVersion constraint %q, which excludes target %s", name, c, h.cfg.Target),
			Origin:  h.u.Path, Kind: model.SourceHelm, Detail: c,
		})
	}
	if missing := missingDependencies(ch); len(missing) > 0 {
		for _, d := range missing {
			file, line := h.files.dependencyLine(d.Name)
			repo := ""
			if d.Repository != "" {
				repo = fmt.Sprintf(" (from %s)", d.Repository)
			}
			h.probs = append(h.probs, h.problem(file, line, d.Name,
				fmt.Sprintf("chart %s depends on %s%s, which is not vendored under charts/; run helm dependency build and commit the result, so the chart can be rendered offline", name, d.Name, repo)))
		}
		return
	}
	base, err := h.baseValues()
	if err != nil {
		h.probs = append(h.probs, h.problem(h.chartFile(), 0, "", fmt.Sprintf("chart %s: %v", name, err)))
		return
	}
	rels := []release{base}
	if h.cfg.Helm.CIValues && !h.packaged {
		for _, f := range ciValuesFiles(h.u.Dir) {
			vals, err := h.readValuesFile(f)
			if err != nil {
				h.probs = append(h.probs, h.problem(paths.Display(f), 0, "", fmt.Sprintf("cannot read values file: %v", err)))
				continue
			}
			r := base
			r.values = mergeValues(copyValues(base.values), vals)
			r.valueFiles = append(append([]string(nil), base.valueFiles...), paths.Display(f))
			rels = append(rels, r)
		}
	}
	for i, r := range rels {
		if ctx.Err() != nil {
			return
		}
		c := ch
		if i > 0 {
			// Dependency processing edits the chart; start each release
			// from a fresh copy.
			if c, err = src.load(); err != nil {
				return
			}
		}
		h.render(c, r)
	}
}

// ciValuesFiles lists the chart's CI values files, ci/*values*.yaml
// (ci/*-values.yaml, ci/values-*.yaml and ci/values.yaml are all in use),
// YAML or YML, sorted.
func ciValuesFiles(dir string) []string {
	seen := map[string]bool{}
	var out []string
	for _, pat := range []string{"*values*.yaml", "*values*.yml"} {
		m, _ := filepath.Glob(filepath.Join(dir, "ci", pat))
		for _, f := range m {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (h *helmRender) kubeVersion() string { return "v" + h.cfg.Target.String() + ".0" }

// missingDependencies lists declared dependencies with no vendored chart.
func missingDependencies(ch *chart.Chart) []*chart.Dependency {
	var out []*chart.Dependency
outer:
	for _, d := range ch.Metadata.Dependencies {
		for _, sub := range ch.Dependencies() {
			if sub.Name() == d.Name {
				continue outer
			}
		}
		out = append(out, d)
	}
	return out
}

// config returns the per-chart settings for this unit.
func (h *helmRender) config() ChartConfig {
	want := filepath.Clean(h.u.Dir)
	absWant, _ := filepath.Abs(want)
	for k, c := range h.cfg.Helm.Charts {
		k = filepath.Clean(filepath.FromSlash(k))
		if k == want || k == filepath.FromSlash(h.u.Path) {
			return c
		}
		if abs, err := filepath.Abs(k); err == nil && abs == absWant {
			return c
		}
	}
	return ChartConfig{}
}

// baseValues merges the user's values (not the chart's own values.yaml,
// which Helm coalesces itself) in precedence order.
func (h *helmRender) baseValues() (release, error) {
	cfg := h.config()
	r := release{name: cfg.ReleaseName, namespace: cfg.Namespace, values: map[string]any{}}
	if !h.packaged {
		if f := filepath.Join(h.u.Dir, "values.yaml"); paths.IsRegular(f) {
			r.valueFiles = append(r.valueFiles, paths.Display(f))
		}
	}
	readFiles := func(files []string) error {
		for _, f := range files {
			vals, err := h.readValuesFile(f)
			if err != nil {
				return fmt.Errorf("values file %s: %w", paths.Display(f), err)
			}
			r.values = mergeValues(r.values, vals)
			r.valueFiles = append(r.valueFiles, paths.Display(f))
		}
		return nil
	}
	if err := readFiles(h.cfg.Helm.ValuesFiles); err != nil {
		return r, err
	}
	for _, s := range h.cfg.Helm.Set {
		if err := strvals.ParseInto(s, r.values); err != nil {
			return r, fmt.Errorf("--set %s: %w", s, err)
		}
	}
	for _, s := range h.cfg.Helm.SetString {
		if err := strvals.ParseIntoString(s, r.values); err != nil {
			return r, fmt.Errorf("--set-string %s: %w", s, err)
		}
	}
	if err := readFiles(cfg.Values); err != nil {
		return r, err
	}
	if h.u.ValuesInline != nil {
		r.values = mergeValues(r.values, copyValues(h.u.ValuesInline))
	}
	for _, set := range []struct {
		m     map[string]string
		parse func(string, map[string]any) error
	}{{cfg.Set, strvals.ParseInto}, {cfg.SetString, strvals.ParseIntoString}} {
		keys := make([]string, 0, len(set.m))
		for k := range set.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := strings.ReplaceAll(set.m[k], `\`, `\\`)
			v = strings.ReplaceAll(v, ",", `\,`)
			if err := set.parse(k+"="+v, r.values); err != nil {
				return r, fmt.Errorf("set %s: %w", k, err)
			}
		}
	}
	return r, nil
}

// mergeValues deep-merges b into a (b wins), like Helm's -f handling.
func mergeValues(a, b map[string]any) map[string]any {
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := a[k].(map[string]any); ok {
				a[k] = mergeValues(am, bm)
				continue
			}
		}
		a[k] = v
	}
	return a
}

func copyValues(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if vm, ok := v.(map[string]any); ok {
			v = copyValues(vm)
		}
		out[k] = v
	}
	return out
}

// record keeps what one render read of the capabilities.
func (h *helmRender) record(ch *chart.Chart, values map[string]any, rec *capRecord, probed bool, rendered map[string]string, version string) {
	q := &CapProbe{All: !probed, Kube: rec.kube}
	if rec.kube {
		// The version printed into the output: no other minor's render
		// can stand for this one.
		for _, text := range rendered {
			if strings.Contains(text, version) {
				q.All = true
				break
			}
		}
	}
	q.Has = slices.Sorted(maps.Keys(rec.has))
	if rec.kube {
		q.Constraints, q.Ints = literals(ch, values)
	}
	if len(q.Has)+len(q.Constraints)+len(q.Ints) > maxObservations {
		q = &CapProbe{All: true}
	}
	h.probe.merge(q)
}

// capabilities describes the target cluster to templates.
func (h *helmRender) capabilities() *chartutil.Capabilities {
	apis := h.cfg.APIVersions
	if len(apis) == 0 {
		apis = servedAPIs(h.cfg.Target)
	}
	set := make(chartutil.VersionSet, 0, len(apis))
	set = append(set, apis...)
	set = append(set, h.cfg.CRDAPIs()...)
	return &chartutil.Capabilities{
		KubeVersion: chartutil.KubeVersion{
			Version: h.kubeVersion(),
			Major:   strconv.Itoa(h.cfg.Target.Major),
			Minor:   strconv.Itoa(h.cfg.Target.Minor),
		},
		APIVersions: set,
		HelmVersion: chartutil.DefaultCapabilities.HelmVersion,
	}
}

func (h *helmRender) render(ch *chart.Chart, r release) {
	name := ch.Name()
	if r.name == "" {
		r.name = name
	}
	if r.namespace == "" {
		r.namespace = "default"
	}
	if err := chartutil.ProcessDependencies(ch, r.values); err != nil {
		h.probs = append(h.probs, h.problem(h.chartFile(), 0, "", fmt.Sprintf("chart %s: cannot process dependencies: %v", name, err)))
		return
	}
	// Schema validation is done here rather than by Helm, whose validator
	// follows http(s) $refs over the network.
	caps := h.capabilities()
	vals, err := chartutil.ToRenderValuesWithSchemaValidation(ch, r.values,
		chartutil.ReleaseOptions{Name: r.name, Namespace: r.namespace, Revision: 1, IsInstall: true},
		caps, true)
	if err != nil {
		h.probs = append(h.probs, h.problem(h.chartFile(), 0, "", fmt.Sprintf("chart %s: %v", name, err)))
		return
	}
	coalesced, _ := vals["Values"].(chartutil.Values)
	if msgs := validateSchemas(ch, coalesced); len(msgs) > 0 {
		for _, m := range msgs {
			file := m.chart
			h.probs = append(h.probs, h.problem(h.files.resolveDisplay(path.Join(file, "values.schema.json")), 0, "schema",
				fmt.Sprintf("values of chart %s do not satisfy values.schema.json: %s", path.Base(file), m.msg)))
		}
		return
	}
	makeDeterministic(ch)
	vals["Values"] = deterministicValues(vals["Values"])
	rec := &capRecord{has: map[string]bool{}}
	probed := h.cfg.Probe && probeable(ch, coalesced)
	if probed {
		vals["Capabilities"] = &probeCaps{
			KubeVersion: probeKubeVersion{v: caps.KubeVersion, rec: rec},
			APIVersions: probeAPIVersions{set: caps.APIVersions, rec: rec},
			HelmVersion: caps.HelmVersion,
			real:        caps,
		}
	}
	rendered, err := engine.Engine{}.Render(ch, vals)
	if h.cfg.Probe {
		h.record(ch, coalesced, rec, probed, rendered, caps.KubeVersion.Version)
	}
	if err != nil {
		h.probs = append(h.probs, h.templateProblem(name, err))
		return
	}
	tpls := templateSources(ch)
	keys := make([]string, 0, len(rendered))
	for k := range rendered {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	crds := ch.CRDObjects()
	if h.u.SkipCRDs {
		crds = nil
	}
	for _, crd := range crds {
		file, exact := h.files.resolve(filepath.ToSlash(crd.Filename))
		objs, probs := decode.Bytes(crd.File.Data, decode.Options{File: file, Kind: model.SourceHelm, Origin: h.u.Path, Exact: exact})
		if !exact {
			for _, o := range objs {
				o.Source.Line, o.Source.Col, o.Source.APIVersionLine = 0, 0, 0
			}
		}
		h.add(objs, probs, r, exact, nil)
	}
	for _, k := range keys {
		text := rendered[k]
		if strings.HasSuffix(k, "NOTES.txt") || strings.TrimSpace(text) == "" {
			continue
		}
		file, exact := h.files.resolve(k)
		objs, probs := decode.Bytes([]byte(text), decode.Options{File: file, Kind: model.SourceHelm, Origin: h.u.Path})
		var mapper *lineMapper
		if exact {
			mapper = newLineMapper(tpls[k])
		} else {
			for _, o := range objs {
				o.Source.Line, o.Source.Col, o.Source.APIVersionLine = 0, 0, 0
			}
		}
		for i := range probs {
			probs[i].Rule = "render-error"
			probs[i].Message = "rendered template is not valid YAML (line " + strconv.Itoa(probs[i].Line) + " of the output): " + probs[i].Message
			probs[i].Line = 0
		}
		h.add(objs, probs, r, false, mapper)
	}
}

func (h *helmRender) add(objs []*model.Object, probs []model.Problem, r release, exact bool, m *lineMapper) {
	for _, o := range objs {
		o.DefaultNamespace = r.namespace
		o.Source.Values = r.valueFiles
		o.Source.Exact = exact
		if m != nil {
			if l := m.find(o); l > 0 {
				o.Source.Line, o.Source.Col, o.Source.APIVersionLine = l, 1, l
				if m.parsed == nil {
					m.parsed = parseTemplateLines(m.lines)
				}
				if loc := locatorFor(m.lines, m.parsed, l); loc != nil {
					o.Locator = loc
				}
			} else if o.Source.APIVersionLine > 0 {
				o.Source.Line = o.Source.APIVersionLine
			}
		}
	}
	h.objs = append(h.objs, objs...)
	h.probs = append(h.probs, probs...)
}

// templateSources maps engine template names to their source text.
func templateSources(ch *chart.Chart) map[string]string {
	out := map[string]string{}
	var walk func(c *chart.Chart)
	walk = func(c *chart.Chart) {
		for _, t := range c.Templates {
			out[path.Join(c.ChartFullPath(), t.Name)] = string(t.Data)
		}
		for _, d := range c.Dependencies() {
			walk(d)
		}
	}
	walk(ch)
	return out
}

// helmLocation finds "chart/templates/x.yaml:12" in Helm's error messages.
var helmLocation = regexp.MustCompile(`([\w.@+\-]+(?:/[\w.@+\-]+)*\.(?:ya?ml|tpl|txt|json|gotmpl)):(\d+)(?::(\d+))?`)

// templateProblem turns a Helm template error into a problem at the
// template file and line Helm names.
func (h *helmRender) templateProblem(name string, err error) model.Problem {
	msg := err.Error()
	file, line := h.chartFile(), 0
	if m := helmLocation.FindStringSubmatch(msg); m != nil {
		if f, exact := h.files.resolve(m[1]); f != "" {
			file = f
			if exact {
				line, _ = strconv.Atoi(m[2])
			}
		}
	}
	return h.problem(file, line, "template", fmt.Sprintf("chart %s does not render: %s", name, clip(strings.TrimSpace(msg), 2000)))
}

type schemaFailure struct{ chart, msg string }

// validateSchemas checks values against values.schema.json of the chart
// and, for each subchart that was given values, the subchart's schema.
// Only the chart's own files are read: remote $refs are refused.
func validateSchemas(ch *chart.Chart, vals map[string]any) []schemaFailure {
	var out []schemaFailure
	if len(ch.Schema) > 0 {
		if err := validateSchema(ch.Schema, vals); err != nil {
			out = append(out, schemaFailure{ch.ChartFullPath(), err.Error()})
		}
	}
	for _, sub := range ch.Dependencies() {
		sv, ok := vals[sub.Name()].(map[string]any)
		if !ok {
			if m, ok2 := vals[sub.Name()].(chartutil.Values); ok2 {
				sv, ok = m, true
			}
		}
		if ok {
			out = append(out, validateSchemas(sub, sv)...)
		}
	}
	return out
}

type refusingLoader struct{}

func (refusingLoader) Load(url string) (any, error) {
	if strings.HasPrefix(url, "urn:") {
		// Helm treats unresolved URNs as permissive schemas.
		return true, nil
	}
	return nil, fmt.Errorf("schema reference %s is not loaded: rendering is offline", url)
}

func validateSchema(schemaJSON []byte, vals map[string]any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot validate: %v", r)
		}
	}()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return fmt.Errorf("invalid values.schema.json: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(refusingLoader{})
	const id = "file:///values.schema.json"
	if err := c.AddResource(id, doc); err != nil {
		return err
	}
	s, err := c.Compile(id)
	if err != nil {
		return err
	}
	// Round-trip through JSON so numbers and nested maps have the types the
	// validator expects.
	inst, err := toJSONValue(vals)
	if err != nil {
		return err
	}
	if err := s.Validate(inst); err != nil {
		// The validator's message is a tree, one failure per line, under a
		// header naming the schema; keep the failures.
		var parts []string
		for _, l := range strings.Split(err.Error(), "\n") {
			l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- "))
			if l == "" || strings.HasPrefix(l, "jsonschema validation failed") {
				continue
			}
			parts = append(parts, l)
		}
		if len(parts) == 0 {
			return err
		}
		return errors.New(strings.Join(parts, "; "))
	}
	return nil
}

// chartFiles maps Helm's template names ("web/charts/db/templates/x.yaml")
// to files in the repository.
type chartFiles struct {
	root     string // filesystem path of the chart
	disp     string
	packaged bool
}

func newChartFiles(root, disp string, packaged bool) *chartFiles {
	return &chartFiles{root: root, disp: disp, packaged: packaged}
}

// resolve returns the display path of a chart-internal name and whether
// that file exists on disk (false inside archives).
func (cf *chartFiles) resolve(name string) (string, bool) {
	if cf.packaged {
		return cf.disp, false
	}
	parts := strings.Split(path.Clean(name), "/")
	if len(parts) < 2 {
		return cf.disp, false
	}
	dir := cf.root
	parts = parts[1:]
	for len(parts) > 2 && parts[0] == "charts" {
		sub, archive := findSubchart(dir, parts[1])
		if sub == "" {
			if archive != "" {
				return paths.Display(archive), false
			}
			return cf.disp, false
		}
		dir = sub
		parts = parts[2:]
	}
	p := filepath.Join(append([]string{dir}, parts...)...)
	if paths.IsRegular(p) {
		return paths.Display(p), true
	}
	return cf.disp, false
}

// resolveDisplay is resolve without the exactness flag.
func (cf *chartFiles) resolveDisplay(name string) string {
	f, _ := cf.resolve(name)
	return f
}

// findSubchart finds the directory (or archive) under dir/charts that holds
// the subchart Helm calls name (its chart name or dependency alias).
func findSubchart(dir, name string) (subdir, archive string) {
	if paths.IsChartDir(filepath.Join(dir, "charts", name)) && chartName(filepath.Join(dir, "charts", name)) == name {
		return filepath.Join(dir, "charts", name), ""
	}
	want := []string{name}
	if md := readChartMeta(dir); md != nil {
		for _, d := range md.Dependencies {
			if d.Alias == name && d.Name != name {
				want = append(want, d.Name)
			}
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "charts"))
	for _, w := range want {
		for _, e := range entries {
			p := filepath.Join(dir, "charts", e.Name())
			if e.IsDir() && paths.IsChartDir(p) && chartName(p) == w {
				return p, ""
			}
		}
		for _, e := range entries {
			if !e.IsDir() && strings.HasPrefix(e.Name(), w+"-") && strings.HasSuffix(e.Name(), ".tgz") {
				return "", filepath.Join(dir, "charts", e.Name())
			}
		}
	}
	if paths.IsChartDir(filepath.Join(dir, "charts", name)) {
		return filepath.Join(dir, "charts", name), ""
	}
	// A file:// dependency that was not vendored renders from its own
	// directory (see localDependencies).
	if md := readChartMeta(dir); md != nil {
		for _, d := range md.Dependencies {
			repo, ok := strings.CutPrefix(d.Repository, "file://")
			if ok && (d.Name == name || d.Alias == name) {
				if p := filepath.Join(dir, filepath.FromSlash(repo)); paths.IsChartDir(p) {
					return p, ""
				}
			}
		}
	}
	return "", ""
}

func readChartMeta(dir string) *chart.Metadata {
	b, err := readRegular(filepath.Join(dir, "Chart.yaml"), decode.MaxFileSize)
	if err != nil {
		return nil
	}
	var md chart.Metadata
	if yaml.Unmarshal(b, &md) != nil {
		return nil
	}
	if b, err := readRegular(filepath.Join(dir, "requirements.yaml"), decode.MaxFileSize); err == nil {
		var req struct {
			Dependencies []*chart.Dependency `yaml:"dependencies"`
		}
		if yaml.Unmarshal(b, &req) == nil {
			md.Dependencies = append(md.Dependencies, req.Dependencies...)
		}
	}
	return &md
}

func chartName(dir string) string {
	if md := readChartMeta(dir); md != nil {
		return md.Name
	}
	return ""
}

// chartYAMLLine is the line of a top-level key of Chart.yaml (0: unknown).
func (cf *chartFiles) chartYAMLLine(key string) int {
	if cf.packaged {
		return 0
	}
	root := readYAMLNode(filepath.Join(cf.root, "Chart.yaml"))
	if root == nil {
		return 0
	}
	if k, ok := model.NodeAt(root, key); ok {
		return k.Line
	}
	return 0
}

// dependencyLine finds where a dependency is declared: Chart.yaml, or
// requirements.yaml for apiVersion v1 charts.
func (cf *chartFiles) dependencyLine(name string) (string, int) {
	if cf.packaged {
		return cf.disp, 0
	}
	for _, f := range []string{"Chart.yaml", "requirements.yaml"} {
		p := filepath.Join(cf.root, f)
		root := readYAMLNode(p)
		if root == nil {
			continue
		}
		deps := root.Content[0]
		if deps.Kind != yaml.MappingNode {
			continue
		}
		seq := decode.ValueOf(deps, "dependencies")
		if seq == nil || seq.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range seq.Content {
			if item.Kind != yaml.MappingNode {
				continue
			}
			if v := decode.ValueOf(item, "name"); v != nil && v.Value == name {
				return paths.Display(p), v.Line
			}
		}
	}
	return path.Join(cf.disp, "Chart.yaml"), 0
}

func readYAMLNode(p string) *yaml.Node {
	b, err := readRegular(p, decode.MaxFileSize)
	if err != nil {
		return nil
	}
	var root yaml.Node
	if yaml.Unmarshal(b, &root) != nil || root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	return &root
}

// lineMapper finds, in a template's source, the line that produced a
// rendered object: the top-level "kind:" line naming the object's kind and
// the "apiVersion:" key just above it. Objects of one template are matched
// in order, so loops and repeated kinds map to successive candidates.
type lineMapper struct {
	lines  []string
	parsed []Line // for field locators, parsed on first use
	prev   int    // last matched line index (0-based), -1 at start
}

func newLineMapper(src string) *lineMapper {
	if src == "" {
		return nil
	}
	return &lineMapper{lines: strings.Split(src, "\n"), prev: -1}
}

func (m *lineMapper) find(o *model.Object) int {
	if m == nil {
		return 0
	}
	var cands []int
	for i, l := range m.lines {
		if !strings.HasPrefix(l, "kind:") {
			continue
		}
		v := strings.TrimPrefix(l, "kind:")
		if i := strings.Index(v, " #"); i >= 0 {
			v = v[:i] // a trailing YAML comment is not part of the kind
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if v == o.Kind || strings.Contains(v, "{{") {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return 0
	}
	pick := cands[0]
	for _, c := range cands {
		if c > m.prev {
			pick = c
			break
		}
	}
	m.prev = pick
	// The apiVersion key of the same document, a few lines above or below:
	// the one with the object's apiVersion when it is written literally
	// (branches on capabilities), else the nearest.
	nearest := 0
	upOpen, downOpen := true, true
	for d := 1; d <= 8; d++ {
		for _, i := range []int{pick - d, pick + d} {
			if i < 0 || i >= len(m.lines) {
				continue
			}
			if strings.HasPrefix(m.lines[i], "---") {
				// Stay inside the document.
				if i < pick {
					upOpen = false
				} else {
					downOpen = false
				}
			}
			if (i < pick && !upOpen) || (i > pick && !downOpen) || !strings.HasPrefix(m.lines[i], "apiVersion:") {
				continue
			}
			v := strings.Trim(strings.TrimSpace(strings.TrimPrefix(m.lines[i], "apiVersion:")), `"'`)
			if v == o.APIVersion {
				return i + 1
			}
			if nearest == 0 {
				nearest = i + 1
			}
		}
	}
	if nearest > 0 {
		return nearest
	}
	return pick + 1
}

// toJSONValue normalizes values for the schema validator.
func toJSONValue(v map[string]any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}
