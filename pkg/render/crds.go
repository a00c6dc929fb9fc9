package render

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

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

// collectCRDAPIs returns the group/versions and group/version/Kinds defined
// by CustomResourceDefinitions in plain files and in charts' crds/
// directories, so templates that test .Capabilities.APIVersions for a CRD
// shipped in the same repository see it installed.
func collectCRDAPIs(p *plan) []string {
	var files []string
	for _, u := range p.units {
		switch {
		case u.kind == model.SourcePlain && u.fs != "":
			files = append(files, u.fs)
		case u.kind == model.SourceHelm && isDir(u.fs):
			_ = filepath.WalkDir(u.fs, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || filepath.Base(filepath.Dir(path)) != "crds" || !IsManifestName(d.Name()) {
					return nil
				}
				files = append(files, path)
				return nil
			})
		}
	}
	seen := map[string]bool{}
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil || st.Size() > MaxFileSize {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil || !bytes.Contains(data, []byte("CustomResourceDefinition")) {
			continue
		}
		for _, d := range splitDocuments(data) {
			if !bytes.Contains(d.text, []byte("CustomResourceDefinition")) {
				continue
			}
			for _, a := range crdAPIs(d.text) {
				seen[a] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// crdHead is the part of a CRD that names its API; the (large) schemas are
// skipped by decoding into this narrow type.
type crdHead struct {
	Kind string `yaml:"kind"`
	Spec struct {
		Group    string `yaml:"group"`
		Version  string `yaml:"version"`
		Versions []struct {
			Name string `yaml:"name"`
		} `yaml:"versions"`
		Names struct {
			Kind string `yaml:"kind"`
		} `yaml:"names"`
	} `yaml:"spec"`
}

func crdAPIs(doc []byte) []string {
	var c crdHead
	if yaml.Unmarshal(doc, &c) != nil || c.Kind != "CustomResourceDefinition" || c.Spec.Group == "" {
		return nil
	}
	versions := []string{}
	if c.Spec.Version != "" {
		versions = append(versions, c.Spec.Version)
	}
	for _, v := range c.Spec.Versions {
		if v.Name != "" {
			versions = append(versions, v.Name)
		}
	}
	var out []string
	for _, v := range versions {
		gv := c.Spec.Group + "/" + v
		out = append(out, gv)
		if c.Spec.Names.Kind != "" {
			out = append(out, gv+"/"+c.Spec.Names.Kind)
		}
	}
	return out
}
