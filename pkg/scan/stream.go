package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/crdindex"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// collected is what the rules found, before post-processing.
type collected struct {
	// findings per evaluated version: the target, and every hop from
	// --current-version when given.
	findings map[kubeversion.Version][]model.Finding
	refs     []model.ObjectRef
	units    []model.Unit
	notices  []string
	ignores  map[objKey]map[string]bool
	// reported keeps the findings a scan of files named inside charts and
	// overlays reports (render.Result.Reported); nil keeps all.
	reported func([]model.Finding) []model.Finding
}

// errWholeSet means the streaming order of work cannot give the whole-set
// result (a CRD of the scan redefines a kind checked before it was known);
// the scan is then redone with every object in memory.
var errWholeSet = errors.New("scan needs the whole object set")

// versions lists the versions rules are evaluated at.
func versions(opts Options) []kubeversion.Version {
	if opts.Current.IsZero() {
		return []kubeversion.Version{opts.Target}
	}
	var out []kubeversion.Version
	for v := opts.Current; !opts.Target.Less(v); v = v.Next() {
		out = append(out, v)
	}
	return out
}

// inputs builds the rules' inputs, once per scan, around crds.
func inputs(opts Options, crds *crdindex.Index) (rules.Inputs, []string, error) {
	in := rules.Inputs{CRDs: crds, Addons: opts.Addons, FieldFacts: schemaFieldFacts(), ScanDirs: scanDirs(opts.Render.Paths)}
	var notices []string
	if schema.Supported(opts.Target) {
		sv, err := schema.New(opts.Target, schema.Options{Locations: opts.SchemaLocations, AllowRemote: opts.AllowRemoteSchemas, CRDs: crds})
		if err != nil {
			return in, nil, err
		}
		in.Schema = sv
	} else {
		vs := schema.Versions()
		notices = append(notices, fmt.Sprintf("schema validation skipped: embedded schemas cover Kubernetes %s to %s, not %s", vs[0], vs[len(vs)-1], opts.Target))
	}
	return in, notices, nil
}

// unitFacts is what is kept of one unit once its objects are checked.
type unitFacts struct {
	refs    []model.ObjectRef
	kept    []*model.Object // compact copies for whole-set rules, or whole deferred objects
	late    []bool          // kept[i] is a whole custom resource still to check
	crds    []*crdindex.Kind
	ignores []ignoreEntry
}

type ignoreEntry struct {
	key objKey
	set map[string]bool
}

// streamState is a scan between its two phases: every unit checked by the
// local rules, compact facts kept for the rest.
type streamState struct {
	opts     Options
	vs       []kubeversion.Version
	sessions []*rules.Session
	crds     *crdindex.Index
	matrix   *addons.Matrix
	notices  []string
	// units in plan order with their facts.
	units    []model.Unit
	index    []int
	facts    map[int]*unitFacts
	early    map[[2]string]bool
	problems []model.Problem
	reported func([]model.Finding) []model.Finding
}

// newStreamState builds the inputs and sessions of a scan.
func newStreamState(opts Options, ruleSet []*rules.Rule) (*streamState, error) {
	st := &streamState{opts: opts, crds: crdindex.New(), vs: versions(opts), facts: map[int]*unitFacts{}, early: map[[2]string]bool{}, matrix: opts.Addons}
	in, notices, err := inputs(opts, st.crds)
	if err != nil {
		return nil, err
	}
	st.notices = notices
	for _, v := range st.vs {
		st.sessions = append(st.sessions, rules.NewSession(rules.Config{Target: v, Current: opts.Current, Lifecycle: kubeversion.Default(), Inputs: in, Workers: opts.Render.Workers}, ruleSet))
	}
	if st.matrix == nil {
		st.matrix = addons.Default()
	}
	return st, nil
}

// stream renders and decodes units in parallel and checks each unit's
// objects as soon as they exist, while their nodes are alive; then only
// compact copies for the whole-set rules are kept. Custom resources wait
// for the end, when every CRD of the scan is known.
func stream(ctx context.Context, opts Options, ruleSet []*rules.Rule) (*collected, error) {
	st, err := newStreamState(opts, ruleSet)
	if err != nil {
		return nil, err
	}
	if err := st.render(ctx, false); err != nil {
		return nil, err
	}
	return st.finish()
}

// render runs the first phase. full keeps whole objects instead of compact
// copies (a shard writes them for the merge to check).
func (st *streamState) render(ctx context.Context, full bool) error {
	db := kubeversion.Default()
	var mu sync.Mutex
	ro := st.opts.Render
	ro.OnUnit = func(i int, objs []*model.Object) {
		f := &unitFacts{refs: make([]model.ObjectRef, 0, len(objs))}
		var now []*model.Object
		seen := map[[2]string]bool{}
		for _, o := range objs {
			f.refs = append(f.refs, o.ObjectRef())
			if k, set := ignoreOf(o); set != nil {
				f.ignores = append(f.ignores, ignoreEntry{k, set})
			}
			if crdindex.IsCRD(o) {
				if k, err := crdindex.Parse(o); err == nil {
					f.crds = append(f.crds, k)
				}
			}
			if _, builtin := db.Lookup(o.APIVersion, o.Kind); !builtin {
				f.kept, f.late = append(f.kept, o), append(f.late, true)
				continue
			}
			seen[[2]string{o.Group(), o.Kind}] = true
			now = append(now, o)
			if c := rules.Retain(o, st.matrix); c != nil {
				if full {
					c = o
				}
				f.kept, f.late = append(f.kept, c), append(f.late, false)
			}
		}
		for _, s := range st.sessions {
			s.Check(now)
		}
		mu.Lock()
		st.facts[i] = f
		for k := range seen {
			st.early[k] = true
		}
		mu.Unlock()
	}
	opts := st.opts
	opts.Render = ro
	res, err := Render(ctx, opts)
	if err != nil {
		return err
	}
	st.units, st.index, st.problems, st.reported = res.Units, res.Index, res.Problems, res.Reported
	if opts.Render.Shard != nil {
		// Discovery problems are the same in every shard: the first keeps them.
		st.problems = st.problems[res.Discovery:]
		if opts.Shard.I == 1 {
			st.problems = res.Problems
		}
	}
	return nil
}

// finish runs the second phase: custom resources with every CRD known,
// then the whole-set rules over the compact facts.
func (st *streamState) finish() (*collected, error) {
	c := &collected{findings: map[kubeversion.Version][]model.Finding{}, units: st.units, notices: st.notices, ignores: map[objKey]map[string]bool{}, reported: st.reported}
	// Plan order, then object order: the order a whole-set scan sees.
	var late []*model.Object
	for _, i := range st.index {
		f := st.facts[i]
		if f == nil {
			continue
		}
		for _, k := range f.crds {
			st.crds.AddKind(k)
		}
		for j, o := range f.kept {
			if f.late[j] {
				late = append(late, o)
			}
		}
	}
	for k := range st.early {
		if st.crds.Defines(k[0], k[1]) {
			return nil, errWholeSet
		}
	}
	var kept []*model.Object
	for _, i := range st.index {
		f := st.facts[i]
		if f == nil {
			continue
		}
		c.refs = append(c.refs, f.refs...)
		for _, e := range f.ignores {
			c.ignores[e.key] = e.set
		}
		for j, o := range f.kept {
			if f.late[j] || o.Node != nil {
				if o = rules.Retain(o, st.matrix); o == nil {
					continue
				}
			}
			kept = append(kept, o)
		}
		delete(st.facts, i)
	}
	// Custom resources see the whole set and the problems, as in a
	// whole-set run (addon API judgments use the scan's addon detections).
	for _, s := range st.sessions {
		s.SetProblems(st.problems)
		s.SetUnits(st.units)
		s.CheckAll(late, kept)
	}
	for i, s := range st.sessions {
		c.findings[st.vs[i]] = s.Finish(kept)
	}
	return c, nil
}

// whole is the scan with every object in memory at once.
func whole(ctx context.Context, opts Options, ruleSet []*rules.Rule) (*collected, error) {
	res, err := Render(ctx, opts)
	if err != nil {
		return nil, err
	}
	in, notices, err := inputs(opts, crdindex.Build(res.Objects))
	if err != nil {
		return nil, err
	}
	in.Problems = res.Problems
	in.Units = res.Units
	c := &collected{findings: map[kubeversion.Version][]model.Finding{}, units: res.Units, notices: notices, ignores: map[objKey]map[string]bool{}, reported: res.Reported}
	for _, v := range versions(opts) {
		c.findings[v] = rules.Run(rules.Config{Target: v, Current: opts.Current, Lifecycle: kubeversion.Default(), Inputs: in, Workers: opts.Render.Workers}, ruleSet, res.Objects)
	}
	c.refs = make([]model.ObjectRef, 0, len(res.Objects))
	for _, o := range res.Objects {
		c.refs = append(c.refs, o.ObjectRef())
		if k, set := ignoreOf(o); set != nil {
			c.ignores[k] = set
		}
	}
	return c, nil
}

// scanDirs are the directory arguments, where Terraform declarations of
// addons are looked for even when no Kubernetes object sits beside them.
func scanDirs(paths []string) []string {
	var out []string
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			out = append(out, p)
		}
	}
	return out
}
