// Command addonapis regenerates pkg/addonapis/data: for each pinned addon
// release it reads the CustomResourceDefinitions from the addon's module zip
// on the Go module proxy and records, per group, version and kind, which
// releases define, serve, deprecate and store it, plus the schema of each
// version as the newest release serving it publishes it. Inputs are pinned
// in pins.go; zips are cached by internal/gen/modproxy. It never runs in
// tests or CI:
//
//	go run ./internal/gen/addonapis -out pkg/addonapis/data
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/kupgrade-lint/kupgrade-lint/internal/gen/modproxy"
)

func main() {
	out := flag.String("out", "pkg/addonapis/data", "directory to write the data files to")
	flag.Parse()
	c := modproxy.New("", "")
	c.Log = os.Stderr
	g := &gen{c: c, kinds: map[string]*kindOut{}, schemas: map[string]json.RawMessage{}}
	for i := range pins {
		if err := g.addon(&pins[i]); err != nil {
			fmt.Fprintln(os.Stderr, "gen addonapis:", err)
			os.Exit(1)
		}
	}
	if err := g.write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen addonapis:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gen addonapis: %d addons, %d kinds, %d schemas, %d downloads\n", len(g.addons), len(g.kinds), len(g.schemas), c.Downloads)
}

// Output shapes; pkg/addonapis decodes the same JSON.
type (
	dataFile struct {
		Comment string     `json:"_comment"`
		Addons  []addonOut `json:"addons"`
		Kinds   []*kindOut `json:"kinds"`
	}
	addonOut struct {
		Name     string       `json:"name"`
		Matrix   string       `json:"matrix,omitempty"`
		Releases []releaseOut `json:"releases"`
	}
	releaseOut struct {
		Version string   `json:"version"`
		Sources []string `json:"sources"`
		// Gaps are inputs of the release the proxy does not serve: kinds
		// they define are unknown (not absent) in that release.
		Gaps []string `json:"gaps,omitempty"`
	}
	kindOut struct {
		Group    string        `json:"group"`
		Kind     string        `json:"kind"`
		Addon    string        `json:"addon"`
		CRD      string        `json:"crd"`
		Scope    string        `json:"scope"`
		Versions []*versionOut `json:"versions"`
	}
	versionOut struct {
		Name       string   `json:"name"`
		Defined    []string `json:"defined"`
		Served     []string `json:"served,omitempty"`
		Deprecated []string `json:"deprecated,omitempty"`
		Stored     []string `json:"stored,omitempty"`
		Warning    string   `json:"deprecationWarning,omitempty"`
		Schema     string   `json:"schema,omitempty"`
		Source     string   `json:"source"`
	}
)

type gen struct {
	c       *modproxy.Client
	addons  []addonOut
	kinds   map[string]*kindOut // group/kind
	schemas map[string]json.RawMessage
}

// addon reads every pinned release of one addon, oldest first, so that later
// releases overwrite the schema and source of each version.
func (g *gen) addon(p *addonPin) error {
	vs := append([]string(nil), p.versions...)
	sort.Slice(vs, func(i, j int) bool { return semver.MustParse(vs[i]).LessThan(semver.MustParse(vs[j])) })
	a := addonOut{Name: p.name, Matrix: p.matrix}
	for _, v := range vs {
		rel := releaseOut{Version: strings.TrimPrefix(v, "v")}
		var crds []crd
		var err error
		if p.flux {
			crds, err = g.fluxRelease(p, v, &rel)
		} else {
			mod := p.moduleAt(v)
			rel.Sources = []string{mod + "@" + v}
			crds, err = g.readCRDs(mod, v, p.dirs)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", p.name, v, err)
		}
		if len(crds) == 0 {
			return fmt.Errorf("%s %s: no CustomResourceDefinitions under %v", p.name, v, p.dirs)
		}
		for _, c := range crds {
			if err := g.record(p.name, rel.Version, c); err != nil {
				return fmt.Errorf("%s %s: %w", p.name, v, err)
			}
		}
		a.Releases = append(a.Releases, rel)
	}
	g.addons = append(g.addons, a)
	return nil
}

var fluxController = regexp.MustCompile(`https://github\.com/fluxcd/([a-z-]+)/releases/download/(v[0-9][^/]*)/[a-z-]+\.crds\.yaml`)

// fluxRelease reads the controller versions a flux2 release installs from its
// manifests/bases kustomizations, then each controller's CRDs.
func (g *gen) fluxRelease(p *addonPin, v string, rel *releaseOut) ([]crd, error) {
	z, err := g.c.Open(context.Background(), p.module, v)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	var ctrls [][2]string
	err = z.Files(func(name string, f *zipFile) error {
		if !strings.HasPrefix(name, "manifests/bases/") || filepath.Base(name) != "kustomization.yaml" {
			return nil
		}
		b, err := modproxy.Read(f)
		if err != nil {
			return err
		}
		for _, m := range fluxController.FindAllStringSubmatch(string(b), -1) {
			ctrls = append(ctrls, [2]string{m[1], m[2]})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ctrls) == 0 {
		return nil, errors.New("no controller CRD URLs in manifests/bases/*/kustomization.yaml")
	}
	sort.Slice(ctrls, func(i, j int) bool { return ctrls[i][0] < ctrls[j][0] })
	rel.Sources = []string{p.module + "@" + v}
	var all []crd
	for _, c := range ctrls {
		mod := "github.com/fluxcd/" + c[0]
		if sv := semver.MustParse(c[1]); sv.Major() >= 2 {
			mod += fmt.Sprintf("/v%d", sv.Major())
		}
		crds, err := g.readCRDs(mod, c[1], p.dirs)
		if err != nil {
			if strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), "403") || strings.Contains(err.Error(), "410") {
				fmt.Fprintf(os.Stderr, "gen addonapis: flux %s: %s@%s not on the proxy: %v\n", v, mod, c[1], err)
				rel.Gaps = append(rel.Gaps, mod+"@"+c[1])
				continue
			}
			return nil, err
		}
		rel.Sources = append(rel.Sources, mod+"@"+c[1])
		all = append(all, crds...)
	}
	return all, nil
}

// readCRDs returns the CRDs under dirs in module@version, first file wins
// per CRD name.
func (g *gen) readCRDs(module, version string, dirs []string) ([]crd, error) {
	z, err := g.c.Open(context.Background(), module, version)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	byDir := make([][]string, len(dirs))
	files := map[string]*zipFile{}
	err = z.Files(func(name string, f *zipFile) error {
		if ext := filepath.Ext(name); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		for i, d := range dirs {
			if name == d || (strings.HasSuffix(d, "/") && strings.HasPrefix(name, d)) {
				byDir[i] = append(byDir[i], name)
				files[name] = f
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []crd
	for _, names := range byDir {
		sort.Strings(names)
		for _, name := range names {
			b, err := modproxy.Read(files[name])
			if err != nil {
				return nil, err
			}
			crds, err := parseCRDs(b)
			if err != nil {
				return nil, fmt.Errorf("%s@%s %s: %w", module, version, name, err)
			}
			for _, c := range crds {
				if seen[c.name] {
					continue
				}
				seen[c.name] = true
				c.source = module + "@" + version + " " + name
				out = append(out, c)
			}
		}
	}
	return out, nil
}

func (g *gen) record(addon, release string, c crd) error {
	key := c.group + "/" + c.kind
	k := g.kinds[key]
	if k == nil {
		k = &kindOut{Group: c.group, Kind: c.kind, Addon: addon}
		g.kinds[key] = k
	}
	if k.Addon != addon {
		return fmt.Errorf("%s %s is defined by both %s and %s", c.group, c.kind, k.Addon, addon)
	}
	k.CRD, k.Scope = c.name, c.scope
	for _, cv := range c.versions {
		var v *versionOut
		for _, e := range k.Versions {
			if e.Name == cv.name {
				v = e
			}
		}
		if v == nil {
			v = &versionOut{Name: cv.name}
			k.Versions = append(k.Versions, v)
		}
		v.Defined = appendOnce(v.Defined, release)
		if cv.storage {
			v.Stored = appendOnce(v.Stored, release)
		}
		if !cv.served {
			continue
		}
		v.Served = appendOnce(v.Served, release)
		if cv.deprecated {
			v.Deprecated = appendOnce(v.Deprecated, release)
			if cv.warning != "" {
				v.Warning = cv.warning
			}
		}
		// The newest serving release gives the schema and the source.
		v.Source = c.source
		v.Schema = ""
		if cv.schema != nil {
			h, err := g.addSchema(cv.schema)
			if err != nil {
				return err
			}
			v.Schema = h
		}
	}
	return nil
}

func appendOnce(s []string, v string) []string {
	if len(s) > 0 && s[len(s)-1] == v {
		return s
	}
	return append(s, v)
}

// addSchema stores a schema under the hash of its canonical JSON (maps are
// marshalled with sorted keys), so identical schemas are stored once.
func (g *gen) addSchema(s map[string]any) (string, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:8])
	g.schemas[h] = b
	return h, nil
}

func (g *gen) write(dir string) error {
	df := dataFile{
		Comment: "Code generated by internal/gen/addonapis; DO NOT EDIT. Releases per group/version/kind are read from each release's CustomResourceDefinitions; source is module@version and path of the newest CRD serving the version.",
		Addons:  g.addons,
	}
	for _, k := range g.kinds {
		// Versions that no release defines any longer still show; keep the
		// order the newest CRD lists, then the rest by name.
		sort.SliceStable(k.Versions, func(i, j int) bool { return k.Versions[i].Name < k.Versions[j].Name })
		for _, v := range k.Versions {
			if v.Source == "" {
				v.Source = "never served"
			}
		}
		df.Kinds = append(df.Kinds, k)
	}
	sort.Slice(df.Kinds, func(i, j int) bool {
		if df.Kinds[i].Group != df.Kinds[j].Group {
			return df.Kinds[i].Group < df.Kinds[j].Group
		}
		return df.Kinds[i].Kind < df.Kinds[j].Kind
	})
	// Only schemas still referenced (a version's schema is replaced by newer
	// releases).
	used := map[string]json.RawMessage{}
	for _, k := range df.Kinds {
		for _, v := range k.Versions {
			if v.Schema != "" {
				used[v.Schema] = g.schemas[v.Schema]
			}
		}
	}
	b, err := json.MarshalIndent(df, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "apis.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	// One deflated entry per schema, in hash order with zero timestamps, so
	// the loader inflates only the schemas a scan uses and reruns are
	// byte-identical.
	hashes := make([]string, 0, len(used))
	raw := 0
	for h := range used {
		hashes = append(hashes, h)
		raw += len(used[h])
	}
	sort.Strings(hashes)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, h := range hashes {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: h + ".json", Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := w.Write(used[h]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "schemas.zip"), buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen addonapis: schemas %d bytes raw, %d zipped\n", raw, buf.Len())
	return nil
}
