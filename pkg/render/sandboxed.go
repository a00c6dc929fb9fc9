package render

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"sync"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/isolate"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
)

// SandboxOptions say how charts and overlays are isolated. Rendering runs
// template code and YAML from the repository, so by default each chart and
// overlay renders in a sandboxed worker process (pkg/sandbox) with a memory
// and a time budget, whenever the executable can serve as one.
type SandboxOptions struct {
	// Disabled renders in this process, without budgets.
	Disabled bool
	// Limits are the budgets of one chart or overlay (zero: defaults).
	Limits sandbox.Limits
}

const renderHandler = "render"

func init() { sandbox.Register(renderHandler, serveRender) }

// newPool returns the pool for a scan, or nil to render in this process.
func newPool(opts Options, p *plan) *sandbox.Pool {
	if opts.Sandbox.Disabled || !sandbox.Available() {
		return nil
	}
	for _, u := range p.units {
		if u.kind == model.SourceHelm || u.kind == model.SourceKustomize {
			return sandbox.NewPool(opts.Sandbox.Limits)
		}
	}
	return nil
}

func newScanID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// renderSandboxed renders one chart or overlay in a worker. A worker that
// runs out of budget or dies costs this unit a render-error; the scan goes
// on.
func renderSandboxed(ctx context.Context, pool *sandbox.Pool, scanID string, u unit, opts Options, p *plan) unitResult {
	r := unitResult{unit: model.Unit{Kind: u.kind, Path: u.path}}
	var crdAPIs []string
	// Only charts read the CRDs of the tree (overlays through helmCharts).
	if u.kind == model.SourceHelm || len(p.kust.Closure(paths.Abs(u.fs), envFor(u, opts)).Charts) > 0 {
		crdAPIs = p.crdAPIs()
	}
	req, err := encodeRequest(wireRequest{
		ScanID: scanID, Kind: u.kind, Path: u.path, FS: u.fs, Root: u.root, Opts: toWire(opts),
		Charts: p.charts, Overlays: p.overlays, CRDAPIs: crdAPIs,
	})
	if err == nil {
		var body []byte
		if body, err = pool.Call(ctx, renderHandler, req); err == nil {
			if r.objects, r.problems, r.probe, err = decodeResult(body); err == nil {
				return r
			}
		}
	}
	if ctx.Err() != nil {
		return r
	}
	r.objects = nil
	r.problems = []model.Problem{sandboxProblem(u, err)}
	return r
}

// sandboxProblem reports a unit that could not be rendered in a worker, at
// the chart's Chart.yaml or the overlay's kustomization.
func sandboxProblem(u unit, err error) model.Problem {
	what, file := "chart", path.Join(u.path, "Chart.yaml")
	if u.kind == model.SourceKustomize {
		what = "overlay"
		file = u.path + "/kustomization.yaml"
		if k := paths.KustomizationFile(u.fs); k != "" {
			file = paths.Display(k)
		}
	} else if !paths.IsDir(u.fs) {
		file = u.path
	}
	msg := fmt.Sprintf("%s %s was not rendered: %v", what, u.path, err)
	var be *sandbox.BudgetError
	switch {
	case errors.As(err, &be) && be.Resource == "memory":
		msg += fmt.Sprintf(" (a template or document that grows without bound, e.g. recursion through tpl or an alias bomb; if the %s is legitimately this large, raise --render-memory)", what)
	case errors.As(err, &be) && be.Resource == "time":
		msg += fmt.Sprintf(" (a template loop that does not end; if the %s is legitimately this slow, raise --render-timeout)", what)
	case errors.Is(err, sandbox.ErrUnavailable):
		msg += " (run with --no-sandbox to render in-process, without budgets)"
	}
	return model.Problem{Rule: "render-error", File: file, Message: msg, Origin: u.path, Kind: u.kind, Detail: "sandbox"}
}

// A worker keeps the plan of the scan it serves, so overlays sharing bases
// share their cache there too.
var (
	workerPlanMu sync.Mutex
	workerPlanID string
	workerPlan   *plan
	workerOnce   sync.Once
)

func serveRender(ctx context.Context, b []byte) ([]byte, error) {
	workerOnce.Do(func() {
		isolate.Worker()
	})
	req, err := decodeRequest(b)
	if err != nil {
		return nil, err
	}
	workerPlanMu.Lock()
	if workerPlan == nil || workerPlanID != req.ScanID {
		apis := req.CRDAPIs
		workerPlan = &plan{charts: req.Charts, overlays: req.Overlays, crdAPIs: func() []string { return apis }}
		workerPlanID = req.ScanID
	}
	p := workerPlan
	workerPlanMu.Unlock()
	u := unit{kind: req.Kind, path: req.Path, fs: req.FS, root: req.Root}
	res := renderUnit(ctx, u, req.Opts.options(), p)
	return encodeResult(res.objects, res.problems, res.probe)
}
