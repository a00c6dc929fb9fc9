package render

import (
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
)

func corpusDir(tb testing.TB) string { return testcorpus.Dir(tb) }
