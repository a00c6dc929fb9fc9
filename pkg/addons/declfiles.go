package addons

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/tfhelm"
)

// ChartDependencies reads the dependencies of the chart in dir that are not
// vendored under charts/ from its Chart.yaml: each gives the dependency's
// name and version (a constraint is a floating version) at the line of its
// version.
func ChartDependencies(dir string) ([]Declared, error) {
	file := filepath.Join(dir, "Chart.yaml")
	top, err := readYAML(dir, file)
	if err != nil || top == nil {
		return nil, err
	}
	var out []Declared
	for _, d := range entries(top, "dependencies", "Chart.yaml dependency", file, dir) {
		// A vendored dependency renders with the chart and is detected from
		// its objects when enabled; when a condition disables it, it is not
		// installed. Only the ones Helm cannot render are read here.
		if vendored(dir, d.Chart) {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// vendored reports whether charts/ holds the dependency, unpacked or as
// <name>-<version>.tgz.
func vendored(dir, name string) bool {
	if st, err := os.Stat(filepath.Join(dir, "charts", name, "Chart.yaml")); err == nil && st.Mode().IsRegular() {
		return true
	}
	m, _ := filepath.Glob(filepath.Join(dir, "charts", name+"-*.tgz"))
	return len(m) > 0
}

// KustomizeHelmCharts reads the helmCharts entries of the kustomization in
// dir (name, version, repo).
func KustomizeHelmCharts(dir string) ([]Declared, error) {
	for _, n := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		file := filepath.Join(dir, n)
		if _, err := os.Lstat(file); err != nil {
			continue
		}
		top, err := readYAML(dir, file)
		if err != nil || top == nil {
			return nil, err
		}
		return entries(top, "helmCharts", "Kustomize helmCharts entry", file, dir), nil
	}
	return nil, nil
}

func readYAML(root, file string) (*yaml.Node, error) {
	b, err := safefs.ReadIn(root, file, 1<<20)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	return doc.Content[0], nil
}

func entries(top *yaml.Node, key, kind, file, origin string) []Declared {
	seq := child(top, key)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	var out []Declared
	for _, e := range seq.Content {
		if e.Kind != yaml.MappingNode {
			continue
		}
		name := child(e, "name")
		if name == nil || name.Value == "" {
			continue
		}
		d := Declared{Kind: kind, Chart: name.Value, File: filepath.ToSlash(file), Line: name.Line, Origin: origin}
		if v := child(e, "version"); v != nil {
			d.Version, d.Line = v.Value, v.Line
		}
		out = append(out, d)
	}
	return out
}

func child(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// TerraformReleases turns helm_release resources into declarations; a
// version that is a variable or expression is kept as Expr.
func TerraformReleases(rels []tfhelm.Release) []Declared {
	var out []Declared
	for _, r := range rels {
		if !r.Chart.Literal() {
			continue // the chart itself is not known
		}
		d := Declared{Kind: fmt.Sprintf("Terraform helm_release %q", r.Name), Chart: r.Chart.Value, File: filepath.ToSlash(r.File), Line: r.Line}
		if r.Version.Set {
			d.Line = r.Version.Line
			d.Version, d.Expr = r.Version.Value, r.Version.Expr
		}
		out = append(out, d)
	}
	return out
}

// FileInputs names the directories whose non-object declarations are read:
// chart directories (Chart.yaml dependencies), overlay directories
// (helmCharts) and directories searched for *.tf files.
type FileInputs struct {
	Charts, Overlays, TerraformDirs []string
}

// DetectFiles detects addons declared in Chart.yaml dependencies,
// kustomization helmCharts and Terraform helm_release resources. Files
// that cannot be read are left to the renderer, which reports them; .tf
// files that do not parse are returned as located errors. Detections are
// in the order of the sorted directories and their files.
func (m *Matrix) DetectFiles(in FileInputs) ([]Detection, []tfhelm.Error) {
	var decls []Declared
	for _, dir := range uniqSorted(in.Charts) {
		ds, _ := ChartDependencies(dir)
		decls = append(decls, ds...)
	}
	for _, dir := range uniqSorted(in.Overlays) {
		ds, _ := KustomizeHelmCharts(dir)
		decls = append(decls, ds...)
	}
	var errs []tfhelm.Error
	for _, dir := range uniqSorted(in.TerraformDirs) {
		for _, f := range tfhelm.Files(dir) {
			rels, err := tfhelm.ReadFile(dir, f)
			if err != nil {
				err.File = filepath.ToSlash(err.File)
				errs = append(errs, *err)
				continue
			}
			decls = append(decls, TerraformReleases(rels)...)
		}
	}
	var out []Detection
	for _, dir := range uniqSorted(in.Charts) {
		if d, ok := m.chartItself(dir); ok {
			out = append(out, d)
		}
	}
	for _, dc := range decls {
		if d, ok := m.DetectDeclared(dc); ok {
			out = append(out, d)
		}
	}
	return out, errs
}

// chartItself detects the addon a scanned chart installs from its own
// Chart.yaml; see chartMetadata.
func (m *Matrix) chartItself(dir string) (Detection, bool) {
	d, ok, err := m.chartMetadata(dir, dir)
	return d, ok && err == nil
}

// chartMetadata detects the addon the chart in dir installs from its
// Chart.yaml (appVersion, else the version of charts that version the app),
// located at that line: a chart whose values leave the workload out, or
// that does not render, still says which release it installs. Chart.yaml
// must be a regular file that resolves inside root.
func (m *Matrix) chartMetadata(root, dir string) (Detection, bool, error) {
	file := filepath.Join(dir, "Chart.yaml")
	b, err := safefs.ReadIn(root, file, 1<<20)
	if err != nil {
		return Detection{}, false, fmt.Errorf("chart metadata %s: %w", file, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return Detection{}, false, fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return Detection{}, false, nil
	}
	fields := map[string]*yaml.Node{}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		fields[top.Content[i].Value] = top.Content[i+1]
	}
	val := func(k string) string {
		if n := fields[k]; n != nil && n.Kind == yaml.ScalarNode {
			return n.Value
		}
		return ""
	}
	d, ok := m.DetectChart(val("name"), val("version"), val("appVersion"))
	if !ok {
		return Detection{}, false, nil
	}
	d.Origin = filepath.ToSlash(dir)
	d.File = filepath.ToSlash(file)
	for _, k := range []string{"appVersion", "version", "name"} {
		if n := fields[k]; n != nil {
			d.Line = n.Line
			break
		}
	}
	return d, true, nil
}

func uniqSorted(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
