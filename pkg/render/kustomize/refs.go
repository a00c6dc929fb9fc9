package kustomize

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/types"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
)

// kustInfo is what one kustomization file references.
type kustInfo struct {
	dir       string // absolute directory, symlinks resolved
	file      string // absolute kustomization file
	component bool
	// files are local files it reads directly (real paths); dirs are the
	// local kustomization directories it builds on (resources that are
	// directories, bases, components).
	files []string
	dirs  []kustRef
	// resources are the files listed under resources (objects come from
	// them; the other files are patches, generator inputs, configs).
	resources []string
	// problems are references and files that are refused: the overlay is
	// not built when its closure has any.
	problems []model.Problem
	// charts are vendored chart directories that helmCharts entries use.
	charts []string
	// refs are every reference with its line, to locate build errors.
	refs []kustRef
}

type kustRef struct {
	field, value string
	line         int
	path         string // real path of a directory reference
}

// refWant says what a reference may be.
type refWant int

const (
	refFileOrDir refWant = iota // resources, bases, components
	refYAMLFile                 // patches, configurations, values files...: parsed as YAML
	refDataFile                 // generator files and env files: read as data
	refPlugin                   // generators, transformers, validators: a YAML file
	refDir                      // helm chart homes
)

// analyzeKustomizationIn reads the references of the kustomization in dir
// and checks every one of them: a reference that is not a local file or
// directory inside env.Root, or a file that is not safe to hand to
// Kustomize, becomes a problem. The kustomization is decoded with
// Kustomize's own decoder, so every spelling Kustomize accepts (keys in any
// case, aliases, merge keys) is seen here too.
func analyzeKustomizationIn(dir string, env Env) *kustInfo {
	k := &kustInfo{dir: paths.Real(dir), file: paths.KustomizationFile(dir)}
	if k.file == "" {
		return k
	}
	kdisp := paths.Display(k.file)
	data, _, err := readYAMLInTree(env.Root, k.file, env.Limit)
	if err != nil {
		var r *kustRefusal
		if errors.As(err, &r) {
			k.fail(kdisp, r.line, "", "the kustomization file "+r.reason)
		} else {
			k.fail(kdisp, 0, "", fmt.Sprintf("cannot read the kustomization file: %v", err))
		}
		return k
	}
	var kz types.Kustomization
	if err := kz.Unmarshal(data); err != nil {
		line, _ := decode.ErrorLine(err)
		k.fail(kdisp, line, "", fmt.Sprintf("kustomization is not valid: %v", err))
		return k
	}
	k.component = kz.Kind == types.ComponentKind
	a := &kustAnalysis{k: k, env: env, kdisp: kdisp, lines: scalarLines(data), verified: map[string]bool{}}
	for _, s := range kz.Resources {
		a.ref("resources entry", s, refFileOrDir)
	}
	for _, s := range kz.Bases { //nolint:staticcheck // deprecated, but Kustomize still reads it
		a.ref("bases entry", s, refFileOrDir)
	}
	for _, s := range kz.Components {
		a.ref("components entry", s, refFileOrDir)
	}
	for _, s := range kz.Crds {
		a.ref("crds entry", s, refYAMLFile)
	}
	for _, s := range kz.Configurations {
		a.ref("configurations entry", s, refYAMLFile)
	}
	for _, f := range []struct {
		field string
		list  []string
	}{{"generators", kz.Generators}, {"transformers", kz.Transformers}, {"validators", kz.Validators}} {
		for _, s := range f.list {
			a.plugin(f.field+" entry", s)
		}
	}
	for _, s := range kz.PatchesStrategicMerge { //nolint:staticcheck // deprecated, but Kustomize still reads it
		a.pathOrInline("patchesStrategicMerge entry", string(s))
	}
	for _, f := range []struct {
		field string
		list  []types.Patch
	}{{"patches", kz.Patches}, {"patchesJson6902", kz.PatchesJson6902}} { //nolint:staticcheck // deprecated, but Kustomize still reads it
		for _, p := range f.list {
			if p.Path != "" {
				a.ref(f.field+" path", p.Path, refYAMLFile)
			}
			if p.Patch != "" {
				a.inline(f.field+" patch", p.Patch)
			}
		}
	}
	for _, r := range kz.Replacements {
		if r.Path != "" {
			a.ref("replacements path", r.Path, refYAMLFile)
		}
	}
	for _, g := range kz.ConfigMapGenerator {
		a.kvSources("configMapGenerator", g.KvPairSources)
	}
	for _, g := range kz.SecretGenerator {
		a.kvSources("secretGenerator", g.KvPairSources)
	}
	if p, ok := kz.OpenAPI["path"]; ok {
		a.ref("openapi path", p, refYAMLFile)
	}
	a.helmCharts(&kz)
	return k
}

// kustAnalysis is the state of one analyzeKustomizationIn call.
type kustAnalysis struct {
	k     *kustInfo
	env   Env
	kdisp string
	lines map[string]int
	// verified are files already read and found safe.
	verified map[string]bool
}

func (k *kustInfo) fail(file string, line int, detail, msg string) {
	k.problems = append(k.problems, model.Problem{Rule: "render-error", File: file, Line: line, Kind: model.SourceKustomize, Detail: detail, Message: msg})
}

// scalarLines maps each scalar of a YAML file to the line it first
// appears on (references are located by value: the decoded kustomization
// has no positions).
func scalarLines(data []byte) map[string]int {
	lines := map[string]int{}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return lines
	}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			if _, ok := lines[n.Value]; !ok {
				lines[n.Value] = n.Line
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
	return lines
}

// refPath is where a reference points: relative to dir unless absolute.
func refPath(dir, s string) string {
	if filepath.IsAbs(s) {
		return filepath.Clean(s)
	}
	return filepath.Join(dir, filepath.FromSlash(s))
}

// ref checks one path reference of the kustomization and records it.
func (a *kustAnalysis) ref(field, s string, want refWant) {
	a.refAt(field, s, want, a.kdisp, a.lines[s])
}

// refAt is ref for a reference written at file:line (a plugin
// configuration file names paths too).
func (a *kustAnalysis) refAt(field, s string, want refWant, file string, line int) {
	k := a.k
	k.refs = append(k.refs, kustRef{field: field, value: s, line: line})
	refuse := func(format string, args ...any) {
		k.fail(file, line, s, fmt.Sprintf("%s %q ", field, s)+fmt.Sprintf(format, args...))
	}
	if s == "" {
		refuse("is empty")
		return
	}
	if pathLooksRemote(s) {
		refuse("is a remote reference, which is not fetched (rendering is offline); vendor it into the repository")
		return
	}
	p := refPath(k.dir, s)
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		if hostLike(s) {
			refuse("is a remote reference, which is not fetched (rendering is offline); vendor it into the repository")
			return
		}
		refuse("is not a file or directory inside the scanned tree: it does not exist here (remote references are never fetched; vendor it)")
		return
	}
	if !paths.Within(a.env.Root, real) {
		refuse("resolves outside the scanned tree, which is never read; vendor it into the repository")
		return
	}
	st, err := os.Stat(real)
	if err != nil {
		refuse("cannot be read: %v", err)
		return
	}
	if st.IsDir() {
		switch want {
		case refFileOrDir:
			if paths.KustomizationFile(real) != "" {
				k.dirs = append(k.dirs, kustRef{field: field, value: s, line: line, path: real})
			}
		case refDir:
		case refPlugin:
			refuse("is a directory: plugin configurations built by a kustomization cannot be checked before the build; list the configuration files instead")
		default:
			refuse("is a directory, not a file")
		}
		return
	}
	if !st.Mode().IsRegular() {
		refuse("is not a regular file or directory (devices, FIFOs and sockets are never read)")
		return
	}
	if want == refDir {
		refuse("is a file, not a directory")
		return
	}
	if st.Size() > a.env.Limit {
		refuse("%s", tooBig(st.Size(), a.env.Limit).reason)
		return
	}
	if want != refDataFile && (want == refPlugin || !a.verified[real]) {
		// Kustomize will expand this file's aliases: check it now (once:
		// a file listed many times is not read many times).
		data, _, err := readYAMLInTree(a.env.Root, p, a.env.Limit)
		var r *kustRefusal
		switch {
		case errors.As(err, &r) && r.line > 0:
			k.fail(paths.Display(p), r.line, s, fmt.Sprintf("%s: %s", paths.Display(p), r.reason))
			return
		case err != nil:
			refuse("cannot be read: %v", err)
			return
		}
		if want == refPlugin {
			a.pluginConfig(field, data, paths.Display(p), nil)
		}
		a.verified[real] = true
	}
	k.files = append(k.files, real)
	if field == "resources entry" || field == "bases entry" {
		k.resources = append(k.resources, real)
	}
}

// inline checks YAML content Kustomize parses from a string of the
// kustomization (inline patches and plugin configurations).
func (a *kustAnalysis) inline(field, s string) {
	line := a.lines[s]
	if kustomizeWouldFetch(s) {
		a.k.fail(a.kdisp, line, firstLine(s), fmt.Sprintf("%s %q is a remote reference, which is not fetched (rendering is offline); vendor it into the repository", field, firstLine(s)))
		return
	}
	if r := checkYAMLExpansion([]byte(s)); r != nil {
		a.k.fail(a.kdisp, line+r.line, "", fmt.Sprintf("inline %s %s", field, r.reason))
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// pathOrInline handles entries Kustomize first tries as YAML content, then
// as a path (patchesStrategicMerge).
func (a *kustAnalysis) pathOrInline(field, s string) {
	if isInlineYAML(s) {
		a.inline(field, s)
		return
	}
	a.ref(field, s, refYAMLFile)
}

// plugin handles a generators, transformers or validators entry: inline
// configuration, or a configuration file. Either names files of its own.
func (a *kustAnalysis) plugin(field, s string) {
	if !isInlineYAML(s) {
		a.ref(field, s, refPlugin)
		return
	}
	n := len(a.k.problems)
	a.inline(field, s)
	if len(a.k.problems) == n {
		base := a.lines[s]
		a.pluginConfig(field, []byte(s), a.kdisp, func(l int) int { return base + l })
	}
}

// pluginFields are the top-level fields of Kustomize's builtin plugin
// configurations that hold paths (their decoder ignores key case).
var pluginFields = map[string]refWant{
	"path": refYAMLFile, "paths": refYAMLFile, "targetfilepath": refYAMLFile,
	"valuesfile": refYAMLFile, "additionalvaluesfiles": refYAMLFile,
	"files": refDataFile, "envs": refDataFile, "env": refDataFile,
	"charthome": refDir, "confighome": refDir, "helmhome": refDir,
}

// pluginConfig checks the paths a plugin configuration names. lineOf maps
// a line of data to a line of file (nil: the same).
func (a *kustAnalysis) pluginConfig(field string, data []byte, file string, lineOf func(int) int) {
	if lineOf == nil {
		lineOf = func(l int) int { return l }
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if dec.Decode(&doc) != nil {
			return
		}
		top := resolveAlias(&doc)
		if top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
			top = resolveAlias(top.Content[0])
		}
		for _, kv := range mappingPairs(top) {
			key := strings.ToLower(kv[0].Value)
			label := fmt.Sprintf("%s configuration field %s", strings.TrimSuffix(field, " entry"), kv[0].Value)
			if key == "replacements" {
				for _, it := range listOf(kv[1]) {
					for _, r := range mappingPairs(it) {
						if strings.EqualFold(r[0].Value, "path") && r[1].Kind == yaml.ScalarNode {
							a.refAt(label+" entry path", r[1].Value, refYAMLFile, file, lineOf(r[1].Line))
						}
					}
				}
				continue
			}
			want, ok := pluginFields[key]
			if !ok {
				continue
			}
			for _, v := range listOf(kv[1]) {
				if v.Kind != yaml.ScalarNode {
					continue
				}
				s := v.Value
				if key == "files" {
					if i := strings.IndexByte(s, '='); i >= 0 {
						s = s[i+1:]
					}
				}
				if key == "paths" && isInlineYAML(s) {
					// An inline patch, unless Kustomize would fetch it.
					if kustomizeWouldFetch(s) {
						a.k.fail(file, lineOf(v.Line), firstLine(s), fmt.Sprintf("%s %q is a remote reference, which is not fetched (rendering is offline); vendor it into the repository", label, firstLine(s)))
					}
					continue
				}
				a.refAt(label, s, want, file, lineOf(v.Line))
			}
		}
	}
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// mappingPairs lists the key/value pairs of a mapping, merge keys
// expanded one level.
func mappingPairs(n *yaml.Node) [][2]*yaml.Node {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		if k.Tag == "!!merge" {
			for _, m := range listOf(v) {
				out = append(out, mappingPairs(m)...)
			}
			continue
		}
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out
}

// listOf is the items of a sequence, or the node itself.
func listOf(n *yaml.Node) []*yaml.Node {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		return []*yaml.Node{n}
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolveAlias(c)
	}
	return out
}

func (a *kustAnalysis) kvSources(field string, kv types.KvPairSources) {
	for _, s := range kv.FileSources {
		// "key=path" names the key.
		if i := strings.IndexByte(s, '='); i >= 0 {
			a.refAt(field+" file", s[i+1:], refDataFile, a.kdisp, a.lines[s])
			continue
		}
		a.ref(field+" file", s, refDataFile)
	}
	for _, s := range kv.EnvSources {
		a.ref(field+" env file", s, refDataFile)
	}
	if kv.EnvSource != "" {
		a.ref(field+" env file", kv.EnvSource, refDataFile)
	}
}

// helmCharts checks that every chart and values file of helmCharts entries
// is inside the scanned tree (the chart is rendered by the Helm path, from
// helmGlobals.chartHome plus the chart name).
func (a *kustAnalysis) helmCharts(kz *types.Kustomization) {
	if len(kz.HelmCharts) == 0 {
		return
	}
	home := "charts"
	if kz.HelmGlobals != nil && kz.HelmGlobals.ChartHome != "" {
		home = kz.HelmGlobals.ChartHome
	}
	for _, hc := range kz.HelmCharts {
		if hc.Name == "" {
			continue // reported when the overlay is rewritten
		}
		line := a.lines[hc.Name]
		chartDir := filepath.Join(refPath(a.k.dir, home), filepath.FromSlash(hc.Name))
		outside := !paths.Within(a.env.Root, chartDir)
		real, err := filepath.EvalSymlinks(chartDir)
		if err == nil && !paths.Within(a.env.Root, real) {
			outside = true
		}
		if outside {
			if l := a.lines[home]; l > 0 && home != "charts" {
				line = l
			}
			a.k.fail(a.kdisp, line, hc.Name, fmt.Sprintf("helmCharts entry %q: its chart directory (helmGlobals.chartHome %q plus the chart name) is outside the scanned tree, which is never read; vendor the chart below the kustomization", hc.Name, home))
		} else if err == nil && paths.IsChartDir(real) {
			a.k.charts = append(a.k.charts, real)
		}
		if hc.ValuesFile != "" {
			a.ref("helmCharts valuesFile", hc.ValuesFile, refYAMLFile)
		}
		for _, v := range hc.AdditionalValuesFiles {
			a.ref("helmCharts additionalValuesFiles entry", v, refYAMLFile)
		}
	}
}
