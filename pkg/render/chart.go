package render

import (
	"context"
	"sort"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/helm"
)

// HelmOptions configure chart rendering (see helm.Options).
type HelmOptions = helm.Options

// ChartConfig is the per-chart section of the config file (see
// helm.ChartConfig).
type ChartConfig = helm.ChartConfig

// CapProbe is what one chart render read of its capabilities (see
// helm.CapProbe).
type CapProbe = helm.CapProbe

// helmConfig is what the scan's charts render with.
func helmConfig(opts Options, p *plan) helm.Config {
	return helm.Config{Target: opts.Target, APIVersions: opts.APIVersions, MaxFileSize: opts.MaxFileSize, Helm: opts.Helm, CRDAPIs: p.crdAPIs, Probe: opts.probe}
}

// renderChart renders a chart unit and says what it read of its
// capabilities.
func renderChart(ctx context.Context, u unit, opts Options, p *plan) ([]*model.Object, []model.Problem, *CapProbe) {
	return helm.Render(ctx, helm.Chart{Path: u.path, Dir: u.fs, Root: u.root}, helmConfig(opts, p))
}

// SetArgs turns a key/value map (the config file's set:) into --set style
// assignments, sorted, with commas and backslashes in values escaped so
// each value stays one value.
func SetArgs(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		v := strings.ReplaceAll(m[k], `\`, `\\`)
		out = append(out, k+"="+strings.ReplaceAll(v, ",", `\,`))
	}
	return out
}
