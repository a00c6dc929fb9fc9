package main

import (
	"fmt"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/baseline"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/config"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
)

// configureRender maps chart and overlay flags onto render options.
func configureRender(o *render.Options, cfg *config.Config, f *scanFlags) error {
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

func isURL(l string) bool {
	l = strings.ToLower(strings.TrimSpace(l))
	return strings.Contains(l, "://")
}
