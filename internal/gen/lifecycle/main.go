package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/kupgrade-lint/kupgrade-lint/internal/gen/modproxy"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

func main() {
	cache := flag.String("cache", modproxy.DefaultCacheDir(), "directory for downloaded module zips (shared with the other generators)")
	out := flag.String("out", "pkg/kubeversion/data/lifecycle.json", "output file")
	overlay := flag.String("overlay", "internal/gen/lifecycle/overlay.yaml", "hand-kept overlay")
	proxy := flag.String("proxy", modproxy.DefaultProxy(), "Go module proxy base URL")
	flag.BoolVar(&verbose, "v", false, "print every disagreement between tags and swagger")
	flag.Parse()
	start := time.Now()
	f := modproxy.New(*proxy, *cache)
	n, err := run(context.Background(), f, *overlay, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lifecycle:", err)
		os.Exit(1)
	}
	if warnings > 0 && !verbose {
		fmt.Fprintf(os.Stderr, "lifecycle: %d disagreements between tags and swagger resolved (-v lists them)\n", warnings)
	}
	fmt.Fprintf(os.Stderr, "lifecycle: wrote %d APIs to %s (%d downloads, %s)\n", n, *out, f.Downloads, time.Since(start).Round(time.Millisecond))
}

var (
	verbose  bool
	warnings int
)

// warnf reports a resolved disagreement between sources.
func warnf(format string, args ...any) {
	warnings++
	if verbose {
		fmt.Fprintf(os.Stderr, "lifecycle: "+format+"\n", args...)
	}
}

// inputs is everything read from upstream.
type inputs struct {
	tags       map[string]tag     // newest tag per GVK
	pkgs       map[string]pkgInfo // k8s.io/api package dir -> group/version
	swagger    map[int]*swaggerInfo
	enabled    map[int]*enablement
	provenance map[string]any
}

func run(ctx context.Context, f *modproxy.Client, overlayPath, out string) (int, error) {
	in, err := load(ctx, f)
	if err != nil {
		return 0, err
	}
	ov, err := readOverlay(overlayPath)
	if err != nil {
		return 0, err
	}
	apis, err := build(in, ov)
	if err != nil {
		return 0, err
	}
	file := kubeversion.File{
		Generated: in.provenance,
		Oldest:    kubeversion.Version{Major: 1, Minor: oldestMinor},
		Newest:    kubeversion.Version{Major: 1, Minor: newestMinor},
		APIs:      apis,
	}
	b, err := encode(file)
	if err != nil {
		return 0, err
	}
	if _, err := kubeversion.Load(b); err != nil {
		return 0, fmt.Errorf("generated data does not load: %w", err)
	}
	if err := writeAtomic(out, b); err != nil {
		return 0, err
	}
	return len(apis), nil
}

func load(ctx context.Context, f *modproxy.Client) (*inputs, error) {
	in := &inputs{
		tags:    map[string]tag{},
		pkgs:    map[string]pkgInfo{},
		swagger: map[int]*swaggerInfo{},
		enabled: map[int]*enablement{},
	}
	for _, v := range apiVersions {
		if err := in.addTags(ctx, f, "k8s.io/api", v, ""); err != nil {
			return nil, err
		}
	}
	extra := map[string][]string{}
	for _, m := range extraTagModules {
		if err := in.addTags(ctx, f, m.Path, m.Version, m.Dir); err != nil {
			return nil, err
		}
		extra[m.Path] = append(extra[m.Path], m.Version)
	}
	var kube []string
	for m := oldestMinor; m <= newestMinor; m++ {
		v, ok := kubeVersions[m]
		if !ok {
			return nil, fmt.Errorf("no k8s.io/kubernetes pin for 1.%d", m)
		}
		kube = append(kube, v)
		if err := in.addRelease(ctx, f, m, v); err != nil {
			return nil, err
		}
	}
	in.provenance = map[string]any{
		"generator":                      "go run ./internal/gen/lifecycle",
		"k8s.io/api":                     "zz_generated.prerelease-lifecycle.go in " + strings.Join(apiVersions, " "),
		"k8s.io/apiextensions-apiserver": "lifecycle tags in " + strings.Join(extra["k8s.io/apiextensions-apiserver"], " "),
		"k8s.io/kube-aggregator":         "lifecycle tags in " + strings.Join(extra["k8s.io/kube-aggregator"], " "),
		"k8s.io/kubernetes":              "api/openapi-spec/swagger.json and pkg/controlplane/instance.go (pkg/master/master.go before 1.20) in " + strings.Join(kube, " "),
		"overlay":                        "internal/gen/lifecycle/overlay.yaml (Kubernetes deprecation guide, CHANGELOGs)",
	}
	return in, nil
}

func (in *inputs) addTags(ctx context.Context, f *modproxy.Client, module, version, prefix string) error {
	z, err := f.Open(ctx, module, version)
	if err != nil {
		return err
	}
	defer z.Close()
	tags, pkgs, err := readTags(z, module+"@"+version, prefix)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return fmt.Errorf("%s@%s: no lifecycle tags under %q", module, version, prefix)
	}
	for k, t := range tags {
		in.tags[k] = t // inputs are oldest first: the newest version wins
	}
	if module == "k8s.io/api" {
		for d, p := range pkgs {
			in.pkgs[d] = p
		}
	}
	return nil
}

func (in *inputs) addRelease(ctx context.Context, f *modproxy.Client, minor int, version string) error {
	z, err := f.Open(ctx, "k8s.io/kubernetes", version)
	if err != nil {
		return err
	}
	defer z.Close()
	src := "k8s.io/kubernetes@" + version
	b, err := z.ReadFile("api/openapi-spec/swagger.json")
	if err != nil {
		return err
	}
	sw, err := parseSwagger(src+"/api/openapi-spec/swagger.json", b)
	if err != nil {
		return err
	}
	in.swagger[minor] = sw
	name := "pkg/controlplane/instance.go"
	b, err = z.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		name = "pkg/master/master.go"
		b, err = z.ReadFile(name)
	}
	if err != nil {
		return err
	}
	en, err := parseEnablement(src+"/"+name, b, in.pkgs)
	if err != nil {
		return err
	}
	in.enabled[minor] = en
	return nil
}

// encode writes one API per line so diffs stay readable.
func encode(f kubeversion.File) ([]byte, error) {
	var buf bytes.Buffer
	gen, err := json.Marshal(f.Generated)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&buf, "{\n\"generated\": %s,\n\"oldest\": %q,\n\"newest\": %q,\n\"apis\": [\n", gen, f.Oldest, f.Newest)
	for i, a := range f.APIs {
		b, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
		if i < len(f.APIs)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n}\n")
	return buf.Bytes(), nil
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lifecycle-*.json")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func sortAPIs(apis []kubeversion.API) {
	sort.Slice(apis, func(i, j int) bool {
		a, b := apis[i], apis[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Kind < b.Kind
	})
}
