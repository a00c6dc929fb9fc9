package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/baseline"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/config"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
)

// configureRender maps chart and overlay flags onto render options.
func configureRender(o *render.Options, cfg *config.Config, f *scanFlags) error {
	if err := f.sandbox.apply(&o.Sandbox); err != nil {
		return err
	}
	o.Helm = render.HelmOptions{
		ValuesFiles: append(append([]string(nil), cfg.Values...), f.values...),
		Set:         append(render.SetArgs(cfg.Set), f.set...),
		SetString:   append([]string(nil), f.setString...),
		CIValues:    f.ciValues,
	}
	if len(cfg.Charts) > 0 {
		o.Helm.Charts = make(map[string]render.ChartConfig, len(cfg.Charts))
		for k, c := range cfg.Charts {
			o.Helm.Charts[k] = render.ChartConfig{Values: c.Values, Set: c.Set, SetString: c.SetString, ReleaseName: c.ReleaseName, Namespace: c.Namespace}
		}
	}
	return nil
}

// configureExtras loads baselines, schemas and addon matrices.
func configureExtras(o *scan.Options, cfg *config.Config, f *scanFlags) error {
	if b := firstNonEmpty(f.baseline, cfg.Baseline); b != "" {
		bl, err := baseline.Load(b)
		if err != nil {
			return err
		}
		o.Baseline = bl
	}
	// Only a URL the user typed on the command line may be fetched. The
	// config file comes from the repository: config.Load refuses URLs there,
	// and this check keeps it so if that ever changes.
	for _, l := range cfg.SchemaLocations {
		if isURL(l) {
			return fmt.Errorf("config %s: schema location %q is a URL; remote schema locations can only be given with --schema-location", cfg.Path, l)
		}
	}
	o.SchemaLocations = append(append([]string(nil), cfg.SchemaLocations...), f.schemaLocations...)
	for _, l := range f.schemaLocations {
		if l = strings.ToLower(l); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
			o.AllowRemoteSchemas = true
		}
	}
	files := append(append([]string(nil), cfg.Addons...), f.addonFiles...)
	if len(files) > 0 {
		m, err := addons.LoadWith(files...)
		if err != nil {
			return err
		}
		o.Addons = m
	}
	return nil
}

// sandboxFlags set the render budgets. They are flags only: the config file
// comes with the repository being scanned and must not raise them.
type sandboxFlags struct {
	timeout time.Duration
	memory  string
	off     bool
}

func addSandboxFlags(fl *pflag.FlagSet, f *sandboxFlags) {
	fl.DurationVar(&f.timeout, "render-timeout", sandbox.DefaultLimits.Timeout, "time budget of one chart or overlay render")
	fl.StringVar(&f.memory, "render-memory", "512Mi", "memory budget of one chart or overlay render (a quantity: 512Mi, 2Gi)")
	fl.BoolVar(&f.off, "no-sandbox", false, "render charts and overlays in-process, without the worker sandbox and its budgets (trusted input only)")
}

func (f *sandboxFlags) apply(o *render.SandboxOptions) error {
	q, err := resource.ParseQuantity(f.memory)
	if err != nil || q.Value() < 64<<20 {
		return fmt.Errorf("--render-memory %q: want a quantity of at least 64Mi, such as 512Mi or 2Gi", f.memory)
	}
	if f.timeout < time.Second {
		return fmt.Errorf("--render-timeout %s: want at least 1s", f.timeout)
	}
	o.Disabled = f.off
	o.Limits = sandbox.Limits{Memory: q.Value(), Timeout: f.timeout}
	return nil
}

func isURL(l string) bool {
	l = strings.ToLower(strings.TrimSpace(l))
	return strings.Contains(l, "://")
}
