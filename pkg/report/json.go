package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// JSONSchemaVersion is bumped on incompatible changes to the JSON output
// (docs/json-output.md).
const JSONSchemaVersion = 1

type jsonReport struct {
	SchemaVersion  int             `json:"schemaVersion"`
	Tool           jsonTool        `json:"tool"`
	TargetVersion  string          `json:"targetVersion"`
	CurrentVersion string          `json:"currentVersion,omitempty"`
	FailOn         string          `json:"failOn"`
	Findings       []model.Finding `json:"findings"`
	Summary        model.Summary   `json:"summary"`
	Notices        []string        `json:"notices,omitempty"`
	ExitCode       int             `json:"exitCode"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// JSON writes the documented JSON contract (docs/json-output.md).
//
// The bytes are those of one indented encoding of the whole report, but
// the findings, most of the work on a large repository, are encoded and
// indented in parallel and spliced into the rest.
func JSON(w io.Writer, r *model.Report, _ Options) error {
	out := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: r.Tool, Version: r.ToolVersion},
		TargetVersion: r.TargetVersion, CurrentVersion: r.CurrentVersion,
		FailOn: r.FailOn.String(), Findings: []model.Finding{}, Summary: r.Summary, Notices: r.Notices, ExitCode: r.ExitCode,
	}
	var frame bytes.Buffer
	if err := encodeJSON(&frame, out, "", "  "); err != nil {
		return err
	}
	// Quotes inside string values are escaped, so this is the key.
	const empty = `"findings": []`
	head, tail, ok := bytes.Cut(frame.Bytes(), []byte(empty))
	if !ok {
		return errors.New("json report: findings not found in the encoded report")
	}
	items, err := encodeFindings(r.Findings)
	if err != nil {
		return err
	}
	// A bufio.Writer keeps its first error and Flush returns it.
	bw := bufio.NewWriter(w)
	_, _ = bw.Write(head)
	if len(items) == 0 {
		_, _ = bw.WriteString(empty)
	} else {
		_, _ = bw.WriteString(`"findings": [`)
		for i, it := range items {
			if i > 0 {
				_ = bw.WriteByte(',')
			}
			_, _ = bw.WriteString("\n    ")
			_, _ = bw.Write(it)
		}
		_, _ = bw.WriteString("\n  ]")
	}
	_, _ = bw.Write(tail)
	return bw.Flush()
}

// encodeJSON writes v as the report encoder does (no HTML escaping),
// indented, without the final newline when prefix is set.
func encodeJSON(buf *bytes.Buffer, v any, prefix, indent string) error {
	enc := json.NewEncoder(buf)
	enc.SetIndent(prefix, indent)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// encodeFindings encodes each finding as an element of the report's
// findings array, spread over the cores.
func encodeFindings(fs []model.Finding) ([][]byte, error) {
	out := make([][]byte, len(fs))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(fs)/256))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for i := k; i < len(fs); i += workers {
				buf.Reset()
				if err := encodeJSON(&buf, fs[i], "    ", "  "); err != nil {
					errs[k] = err
					return
				}
				out[i] = bytes.Clone(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			}
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}
