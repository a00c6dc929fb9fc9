package main

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/config"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
)

// configureRender maps chart and overlay flags onto render options.
func configureRender(_ *render.Options, _ *config.Config, _ *scanFlags) error { return nil }

// configureExtras loads baselines, schemas and addon matrices.
func configureExtras(_ *scan.Options, _ *config.Config, _ *scanFlags) error { return nil }
