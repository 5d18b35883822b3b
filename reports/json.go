package reports

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/petfriendly/recon/reconcile"
)

// JSON writes the verification as indented JSON, every list whole: the
// machine-readable form of the run, read back by `recon compare`.
func JSON(w io.Writer, r reconcile.Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
