package render

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
)

// DecodeOptions say where decoded bytes came from (see decode.Options).
type DecodeOptions = decode.Options

// DecodeBytes decodes every YAML or JSON document in data (see
// decode.Bytes).
func DecodeBytes(data []byte, opt DecodeOptions) ([]*model.Object, []model.Problem) {
	return decode.Bytes(data, opt)
}
