// Command addons regenerates the addon data files that can be read from
// modules on the Go module proxy: Cilium (compatibility.rst), Argo CD
// (tested-kubernetes-versions.md), Karpenter (compatibility.yaml), Flux
// (the minimum in cmd/flux/check.go) and CoreDNS (kubeadm's default per
// Kubernetes release). Inputs are pinned below; zips are cached under
// /root/.cache/kupgrade-lint-gen/. It never runs in tests or CI:
//
//	go run ./internal/gen/addons -out pkg/addons/data
package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"gopkg.in/yaml.v3"
)

// Pinned inputs. Version lists on the proxy are partial; these were checked
// to download.
var (
	ciliumVersions = []string{"v1.14.19", "v1.15.19", "v1.16.19", "v1.17.14", "v1.18.8", "v1.19.8", "v1.20.2"}
	// Newest first: a row is taken from the newest doc that lists it.
	argoVersions = []struct{ module, version string }{
		{"github.com/argoproj/argo-cd/v3", "v3.6.1"},
		{"github.com/argoproj/argo-cd/v3", "v3.5.7"},
		{"github.com/argoproj/argo-cd/v3", "v3.4.13"},
		{"github.com/argoproj/argo-cd/v3", "v3.3.19"},
		{"github.com/argoproj/argo-cd/v3", "v3.2.12"},
		{"github.com/argoproj/argo-cd/v3", "v3.1.16"},
		{"github.com/argoproj/argo-cd/v3", "v3.0.23"},
		{"github.com/argoproj/argo-cd/v2", "v2.14.21"},
		{"github.com/argoproj/argo-cd/v2", "v2.13.9"},
		{"github.com/argoproj/argo-cd/v2", "v2.12.13"},
		{"github.com/argoproj/argo-cd/v2", "v2.11.14"},
		{"github.com/argoproj/argo-cd/v2", "v2.10.9"},
	}
	karpenterVersion = "v1.15.1"
	// Newest patch of each flux2 minor the proxy serves.
	fluxVersions = []string{"v2.0.1", "v2.1.2", "v2.2.3", "v2.3.0", "v2.4.0", "v2.5.1", "v2.6.4", "v2.7.5", "v2.8.3", "v2.9.5"}
	// k8s.io/kubernetes: the .0 release of each minor, and a late patch where
	// the proxy has one (kubeadm bumps CoreDNS in patch releases too).
	kubernetesVersions = []string{
		"v1.16.0", "v1.17.0", "v1.18.0", "v1.19.0", "v1.20.0", "v1.21.0", "v1.22.0", "v1.23.0", "v1.24.0",
		"v1.25.0", "v1.25.16", "v1.26.0", "v1.26.15", "v1.27.0", "v1.27.16", "v1.28.0", "v1.28.15",
		"v1.29.0", "v1.29.15", "v1.30.0", "v1.30.14", "v1.31.0", "v1.31.14", "v1.32.0", "v1.32.13",
		"v1.33.0", "v1.33.13", "v1.34.0", "v1.34.4", "v1.35.0", "v1.35.4", "v1.36.0", "v1.36.3",
		"v1.37.0", "v1.37.2",
	}
)

func main() {
	out := flag.String("out", "pkg/addons/data", "directory to write the data files to")
	flag.Parse()
	proxy := strings.Split(os.Getenv("GOPROXY"), ",")[0]
	if proxy == "" || proxy == "direct" || proxy == "off" {
		proxy = "https://proxy.golang.org"
	}
	home, _ := os.UserHomeDir()
	f := &fetcher{proxy: strings.TrimSuffix(proxy, "/"), cache: filepath.Join(home, ".cache", "kupgrade-lint-gen")}
	gens := []func(*fetcher) (*file, error){genCilium, genArgoCD, genKarpenter, genFlux, genCoreDNS}
	for _, g := range gens {
		fl, err := g(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen addons:", err)
			os.Exit(1)
		}
		if err := fl.write(*out); err != nil {
			fmt.Fprintln(os.Stderr, "gen addons:", err)
			os.Exit(1)
		}
	}
}

// fetcher downloads module zips from the proxy into a shared cache.
type fetcher struct {
	proxy, cache string
}

func (f *fetcher) get(url string) ([]byte, error) {
	c := &http.Client{Timeout: 10 * time.Minute}
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// zip returns the module zip, downloading it once (temp file + rename, so
// concurrent generators never see a partial file).
func (f *fetcher) zip(module, version string) (*zip.Reader, error) {
	name := filepath.Join(f.cache, strings.ReplaceAll(module, "/", "_")+"@"+version+".zip")
	b, err := os.ReadFile(name)
	if err != nil {
		b, err = f.get(f.proxy + "/" + escape(module) + "/@v/" + version + ".zip")
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(f.cache, 0o755); err != nil {
			return nil, err
		}
		tmp, err := os.CreateTemp(f.cache, ".tmp-*")
		if err != nil {
			return nil, err
		}
		if _, err := tmp.Write(b); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return nil, err
		}
		if err := tmp.Close(); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp.Name(), name); err != nil {
			return nil, err
		}
	}
	return zip.NewReader(bytes.NewReader(b), int64(len(b)))
}

// date is the module version's publication date from the proxy (.info).
func (f *fetcher) date(module, version string) (string, error) {
	b, err := f.get(f.proxy + "/" + escape(module) + "/@v/" + version + ".info")
	if err != nil {
		return "", err
	}
	var info struct{ Time time.Time }
	if err := json.Unmarshal(b, &info); err != nil {
		return "", fmt.Errorf("%s@%s info: %w", module, version, err)
	}
	return info.Time.UTC().Format("2006-01-02"), nil
}

// escape applies the proxy's case encoding (uppercase → !lowercase).
func escape(p string) string {
	var sb strings.Builder
	for _, r := range p {
		if r >= 'A' && r <= 'Z' {
			sb.WriteByte('!')
			r += 'a' - 'A'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func readFile(z *zip.Reader, suffix string) ([]byte, error) {
	for _, f := range z.File {
		if strings.HasSuffix(f.Name, "/"+suffix) {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(rc)
		}
	}
	return nil, fmt.Errorf("%s not in zip: %w", suffix, os.ErrNotExist)
}

// file is one generated data file.
type file struct {
	header     string
	addon      map[string]any // metadata and detection, written first
	rows       []row
	provenance []string
}

type row struct {
	Versions string   `yaml:"versions"`
	Kind     string   `yaml:"kind"`
	K8sMin   string   `yaml:"k8sMin,omitempty"`
	K8sMax   string   `yaml:"k8sMax,omitempty"`
	K8s      []string `yaml:"k8s,omitempty"`
	Source   string   `yaml:"source"`
	AsOf     string   `yaml:"asOf"`
	Verified bool     `yaml:"verified"`
	Note     string   `yaml:"note,omitempty"`
}

func (fl *file) write(dir string) error {
	var buf bytes.Buffer
	name := fl.addon["name"].(string)
	buf.WriteString("# Code generated by internal/gen/addons; DO NOT EDIT.\n")
	for _, l := range strings.Split(strings.TrimSpace(fl.header), "\n") {
		buf.WriteString("# " + l + "\n")
	}
	buf.WriteString("# Inputs:\n")
	for _, p := range fl.provenance {
		buf.WriteString("#   " + p + "\n")
	}
	for _, k := range []string{"name", "description", "url", "detect"} {
		b, err := yaml.Marshal(map[string]any{k: fl.addon[k]})
		if err != nil {
			return err
		}
		buf.Write(b)
	}
	buf.WriteString("versions:\n")
	for _, r := range fl.rows {
		buf.WriteString("  - " + flowLine(r) + "\n") // one row per line
	}
	path := filepath.Join(dir, name+".yaml")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// flowLine renders a row as one YAML flow mapping with quoted strings.
func flowLine(r row) string {
	q := strconv.Quote
	parts := []string{"versions: " + q(r.Versions), "kind: " + r.Kind}
	if r.K8sMin != "" {
		parts = append(parts, "k8sMin: "+q(r.K8sMin))
	}
	if r.K8sMax != "" {
		parts = append(parts, "k8sMax: "+q(r.K8sMax))
	}
	if len(r.K8s) > 0 {
		ks := make([]string, len(r.K8s))
		for i, k := range r.K8s {
			ks[i] = q(k)
		}
		parts = append(parts, "k8s: ["+strings.Join(ks, ", ")+"]")
	}
	parts = append(parts, "source: "+q(r.Source), "asOf: "+q(r.AsOf), "verified: "+strconv.FormatBool(r.Verified))
	if r.Note != "" {
		parts = append(parts, "note: "+q(r.Note))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// minorRange is the constraint for every release of minor m ("1.19").
func minorRange(m string) string {
	v := semver.MustParse(m)
	return fmt.Sprintf(">=%d.%d.0 <%d.%d.0", v.Major(), v.Minor(), v.Major(), v.Minor()+1)
}

func minorOf(v string) string {
	sv := semver.MustParse(v)
	return fmt.Sprintf("%d.%d", sv.Major(), sv.Minor())
}

var minorRE = regexp.MustCompile(`(?:^|[^0-9.])v?(1\.[0-9]{1,2})(?:[^0-9]|$)`)

// findMinors returns the Kubernetes minors ("1.33", from "1.33" or "v1.33")
// in s.
func findMinors(s string) []string {
	var out []string
	for _, m := range minorRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func sortMinors(ms []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return semver.MustParse(out[i]).LessThan(semver.MustParse(out[j])) })
	return out
}

// sortRows orders rows newest addon version first.
func sortRows(rs []row) {
	lb := func(c string) *semver.Version {
		f := strings.Fields(c)[0]
		return semver.MustParse(strings.TrimLeft(f, ">=<~^"))
	}
	sort.SliceStable(rs, func(i, j int) bool { return lb(rs[j].Versions).LessThan(lb(rs[i].Versions)) })
}

func genCilium(f *fetcher) (*file, error) {
	const mod = "github.com/cilium/cilium"
	fl := &file{
		header: `Cilium: the Kubernetes minors each release is e2e tested with, from
Documentation/network/kubernetes/compatibility.rst at the newest patch of each
minor (requirements.rst when the table is missing). Minors outside the list
"depend on the compatibility offered by Kubernetes", so rows are tested lists.`,
		addon: map[string]any{
			"name":        "cilium",
			"description": "Cilium eBPF-based CNI, network policy and observability",
			"url":         "https://cilium.io",
			"detect": map[string]any{
				"images":    []string{"cilium/cilium", "cilium/operator", "cilium/operator-generic", "cilium/operator-aws", "cilium/operator-azure", "cilium/operator-alibabacloud", "cilium/hubble-relay", "cilium/clustermesh-apiserver"},
				"charts":    []map[string]any{{"name": "cilium", "chartIsApp": true}},
				"labels":    []string{"app.kubernetes.io/part-of=cilium", "k8s-app=cilium"},
				"crdGroups": []string{"cilium.io"},
			},
		},
	}
	for _, v := range ciliumVersions {
		z, err := f.zip(mod, v)
		if err != nil {
			return nil, err
		}
		date, err := f.date(mod, v)
		if err != nil {
			return nil, err
		}
		path := "Documentation/network/kubernetes/compatibility.rst"
		b, err := readFile(z, path)
		var ms []string
		if err == nil {
			ms = ciliumTable(string(b))
		}
		if len(ms) == 0 {
			path = "Documentation/network/kubernetes/requirements.rst"
			if b, err = readFile(z, path); err != nil {
				return nil, fmt.Errorf("cilium %s: %w", v, err)
			}
			ms = ciliumBullets(string(b))
		}
		if len(ms) == 0 {
			return nil, fmt.Errorf("cilium %s: no Kubernetes versions found in %s", v, path)
		}
		fl.rows = append(fl.rows, row{
			Versions: minorRange(minorOf(v)), Kind: "tested", K8s: sortMinors(ms),
			Source: mod + "@" + v + ":" + path, AsOf: date, Verified: true,
		})
		fl.provenance = append(fl.provenance, mod+"@"+v)
	}
	sortRows(fl.rows)
	return fl, nil
}

// ciliumTable reads the minors of the "k8s Version" column.
func ciliumTable(s string) []string {
	var ms []string
	in := false
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "k8s Version") {
			in = true
			continue
		}
		if !in {
			continue
		}
		if strings.TrimSpace(l) == "" {
			break
		}
		if strings.HasPrefix(l, "|") {
			cells := strings.Split(l, "|")
			if len(cells) > 1 {
				ms = append(ms, findMinors(cells[1])...)
			}
		}
	}
	return ms
}

// ciliumBullets reads "* 1.33" items under the "Kubernetes Version" title.
func ciliumBullets(s string) []string {
	var ms []string
	in := false
	for _, l := range strings.Split(s, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "Kubernetes Version":
			in = true
		case in && strings.HasPrefix(t, "* "):
			ms = append(ms, findMinors(t)...)
		case in && len(ms) > 0 && t != "" && !strings.HasPrefix(t, "*"):
			return ms
		}
	}
	return ms
}

func genArgoCD(f *fetcher) (*file, error) {
	const path = "docs/operator-manual/tested-kubernetes-versions.md"
	fl := &file{
		header: `Argo CD: Kubernetes minors each Argo CD minor is tested with, from
docs/operator-manual/tested-kubernetes-versions.md. Later releases update older
rows, so each row comes from the newest pinned doc that lists it.`,
		addon: map[string]any{
			"name":        "argo-cd",
			"description": "Argo CD GitOps continuous delivery",
			"url":         "https://argo-cd.readthedocs.io",
			"detect": map[string]any{
				"images": []string{"argoproj/argocd"},
				"charts": []map[string]any{{"name": "argo-cd"}},
				"names":  []string{"argocd-server", "argocd-repo-server", "argocd-application-controller", "argocd-applicationset-controller"},
				"labels": []string{"app.kubernetes.io/part-of=argocd"},
			},
		},
	}
	seen := map[string]bool{}
	rowRE := regexp.MustCompile(`^\|\s*([0-9]+\.[0-9]+)\s*\|(.*)\|\s*$`)
	for _, mv := range argoVersions {
		z, err := f.zip(mv.module, mv.version)
		if err != nil {
			return nil, err
		}
		b, err := readFile(z, path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return nil, err
		}
		date, err := f.date(mv.module, mv.version)
		if err != nil {
			return nil, err
		}
		fl.provenance = append(fl.provenance, mv.module+"@"+mv.version)
		for _, l := range strings.Split(string(b), "\n") {
			m := rowRE.FindStringSubmatch(strings.TrimSpace(l))
			if m == nil || seen[m[1]] {
				continue
			}
			ms := findMinors(m[2])
			if len(ms) == 0 {
				continue
			}
			seen[m[1]] = true
			fl.rows = append(fl.rows, row{
				Versions: minorRange(m[1]), Kind: "tested", K8s: sortMinors(ms),
				Source: mv.module + "@" + mv.version + ":" + path, AsOf: date, Verified: true,
			})
		}
	}
	sortRows(fl.rows)
	return fl, nil
}

func genKarpenter(f *fetcher) (*file, error) {
	const mod = "github.com/aws/karpenter-provider-aws"
	const path = "hack/docs/compatibilitymatrix_gen/compatibility.yaml"
	z, err := f.zip(mod, karpenterVersion)
	if err != nil {
		return nil, err
	}
	b, err := readFile(z, path)
	if err != nil {
		return nil, err
	}
	date, err := f.date(mod, karpenterVersion)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Compatibility []struct {
			AppVersion    string `yaml:"appVersion"`
			MinK8sVersion string `yaml:"minK8sVersion"`
			MaxK8sVersion string `yaml:"maxK8sVersion"`
		} `yaml:"compatibility"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("karpenter %s: %w", path, err)
	}
	fl := &file{
		header: `Karpenter: minimum and maximum Kubernetes minor per Karpenter version, from
the machine-readable compatibility matrix behind the website's compatibility
page. "X.Y.x" entries cover the minor; an exact "X.Y.Z" entry starts a new
window inside the minor.`,
		addon: map[string]any{
			"name":        "karpenter",
			"description": "Karpenter node autoscaler (AWS provider)",
			"url":         "https://karpenter.sh",
			"detect": map[string]any{
				"images":    []string{"karpenter/controller"},
				"charts":    []map[string]any{{"name": "karpenter", "chartIsApp": true}},
				"names":     []string{"karpenter"},
				"crdGroups": []string{"karpenter.sh", "karpenter.k8s.aws"},
			},
		},
		provenance: []string{mod + "@" + karpenterVersion},
	}
	type win struct {
		lo, hi   *semver.Version
		min, max string
	}
	var wins []win
	for _, c := range doc.Compatibility {
		av := strings.TrimSuffix(c.AppVersion, ".x")
		lo, err := semver.NewVersion(av)
		if err != nil {
			return nil, fmt.Errorf("karpenter appVersion %q: %w", c.AppVersion, err)
		}
		hi := lo.IncMinor()
		if !strings.HasSuffix(c.AppVersion, ".x") {
			// An exact patch splits the minor's window at that patch.
			for i := range wins {
				if wins[i].lo.Major() == lo.Major() && wins[i].lo.Minor() == lo.Minor() && wins[i].lo.LessThan(lo) {
					wins[i].hi = lo
				}
			}
		}
		dup := false
		for _, w := range wins {
			if w.lo.Equal(lo) {
				dup = true // the file repeats some entries
			}
		}
		if !dup {
			wins = append(wins, win{lo, &hi, c.MinK8sVersion, c.MaxK8sVersion})
		}
	}
	for _, w := range wins {
		fl.rows = append(fl.rows, row{
			Versions: fmt.Sprintf(">=%s <%s", w.lo, w.hi), Kind: "supported", K8sMin: w.min, K8sMax: w.max,
			Source: mod + "@" + karpenterVersion + ":" + path, AsOf: date, Verified: true,
		})
	}
	sortRows(fl.rows)
	return fl, nil
}

func genFlux(f *fetcher) (*file, error) {
	const mod = "github.com/fluxcd/flux2/v2"
	const path = "cmd/flux/check.go"
	fl := &file{
		header: `Flux: the minimum Kubernetes version "flux check --pre" enforces
(kubernetesConstraints in cmd/flux/check.go) at the newest patch of each
flux2 minor the proxy serves. Flux supports the upstream-supported minors;
newer minors are not stated, so rows are minimums only.`,
		addon: map[string]any{
			"name":        "flux",
			"description": "Flux GitOps toolkit (flux2)",
			"url":         "https://fluxcd.io",
			"detect": map[string]any{
				"unversionedImages": []string{"fluxcd/source-controller", "fluxcd/kustomize-controller", "fluxcd/helm-controller", "fluxcd/notification-controller", "fluxcd/image-reflector-controller", "fluxcd/image-automation-controller", "fluxcd/source-watcher"},
				"charts":            []map[string]any{{"name": "flux2"}},
				"labels":            []string{"app.kubernetes.io/part-of=flux"},
				"versionLabel":      true,
				"crdGroups":         []string{"source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io"},
			},
		},
	}
	for _, v := range fluxVersions {
		z, err := f.zip(mod, v)
		if err != nil {
			return nil, err
		}
		b, err := readFile(z, path)
		if err != nil {
			return nil, err
		}
		cons, err := stringSliceVar(b, "kubernetesConstraints")
		if err != nil {
			return nil, fmt.Errorf("flux %s: %w", v, err)
		}
		date, err := f.date(mod, v)
		if err != nil {
			return nil, err
		}
		min := ""
		for _, c := range cons {
			if strings.HasPrefix(c, ">=") {
				sv, err := semver.NewVersion(strings.TrimPrefix(c, ">="))
				if err != nil {
					return nil, fmt.Errorf("flux %s constraint %q: %w", v, c, err)
				}
				min = fmt.Sprintf("%d.%d", sv.Major(), sv.Minor())
			}
		}
		if min == "" {
			return nil, fmt.Errorf("flux %s: no >= constraint in %v", v, cons)
		}
		fl.rows = append(fl.rows, row{
			Versions: minorRange(minorOf(v)), Kind: "minimum", K8sMin: min,
			Source: mod + "@" + v + ":" + path, AsOf: date, Verified: true,
		})
		fl.provenance = append(fl.provenance, mod+"@"+v)
	}
	sortRows(fl.rows)
	return fl, nil
}

// stringSliceVar returns the string literals of a package-level
// "var name = []string{...}".
func stringSliceVar(src []byte, name string) ([]string, error) {
	fs := token.NewFileSet()
	file, err := parser.ParseFile(fs, "", src, 0)
	if err != nil {
		return nil, err
	}
	var out []string
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, id := range vs.Names {
			if id.Name != name || i >= len(vs.Values) {
				continue
			}
			if cl, ok := vs.Values[i].(*ast.CompositeLit); ok {
				found = true
				for _, e := range cl.Elts {
					if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
						s, _ := strconv.Unquote(bl.Value)
						out = append(out, s)
					}
				}
			}
		}
		return true
	})
	if !found {
		return nil, fmt.Errorf("%s not found", name)
	}
	return out, nil
}

// stringConst returns the value of a string constant or variable.
func stringConst(src []byte, name string) (string, error) {
	fs := token.NewFileSet()
	file, err := parser.ParseFile(fs, "", src, 0)
	if err != nil {
		return "", err
	}
	val, found := "", false
	ast.Inspect(file, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || found {
			return !found
		}
		for i, id := range vs.Names {
			if id.Name == name && i < len(vs.Values) {
				if bl, ok := vs.Values[i].(*ast.BasicLit); ok && bl.Kind == token.STRING {
					val, _ = strconv.Unquote(bl.Value)
					found = true
				}
			}
		}
		return true
	})
	if !found {
		return "", fmt.Errorf("%s not found", name)
	}
	return val, nil
}

func genCoreDNS(f *fetcher) (*file, error) {
	const mod = "k8s.io/kubernetes"
	const path = "cmd/kubeadm/app/constants/constants.go"
	fl := &file{
		header: `CoreDNS: the version kubeadm deploys for each Kubernetes release
(CoreDNSVersion in cmd/kubeadm/app/constants/constants.go). kubeadm's e2e tests
run that pairing, so each row says the CoreDNS version was tested with the
minors whose kubeadm ships it. Other CoreDNS versions have no data.`,
		addon: map[string]any{
			"name":        "coredns",
			"description": "CoreDNS cluster DNS",
			"url":         "https://coredns.io",
			"detect": map[string]any{
				"images": []string{"coredns/coredns", "coredns"},
				"charts": []map[string]any{{"name": "coredns"}},
				"names":  []string{"coredns"},
				"labels": []string{"k8s-app=kube-dns"},
			},
		},
	}
	minors := map[string][]string{}
	sources := map[string][]string{}
	for _, v := range kubernetesVersions {
		z, err := f.zip(mod, v)
		if err != nil {
			return nil, err
		}
		b, err := readFile(z, path)
		if err != nil {
			return nil, err
		}
		c, err := stringConst(b, "CoreDNSVersion")
		if err != nil {
			return nil, fmt.Errorf("kubernetes %s: %w", v, err)
		}
		cv, err := semver.NewVersion(c)
		if err != nil {
			return nil, fmt.Errorf("kubernetes %s: CoreDNSVersion %q: %w", v, c, err)
		}
		key := cv.String()
		minors[key] = append(minors[key], minorOf(v))
		sources[key] = append(sources[key], v)
		sort.Slice(sources[key], func(i, j int) bool {
			return semver.MustParse(sources[key][i]).LessThan(semver.MustParse(sources[key][j]))
		})
		fl.provenance = append(fl.provenance, mod+"@"+v)
	}
	for cv, ms := range minors {
		srcs := sources[cv]
		date, err := f.date(mod, srcs[len(srcs)-1])
		if err != nil {
			return nil, err
		}
		fl.rows = append(fl.rows, row{
			Versions: "=" + cv, Kind: "tested", K8s: sortMinors(ms),
			Source: mod + "@" + strings.Join(srcs, ",") + ":" + path, AsOf: date, Verified: true,
			Note: "kubeadm default",
		})
	}
	sortRows(fl.rows)
	return fl, nil
}
