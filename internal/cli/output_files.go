package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/reports"
)

// Reports are written whole or not at all: each is rendered in memory,
// written to a temporary file in its own folder, synced, and renamed over
// the path asked for only once every report of the command is ready. A
// full disk or a failing folder leaves the old file (or none), never half
// a report.

// outputFile is the temporary file a report is staged in.
type outputFile interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

// createOutputFile is os.CreateTemp unless a test injects failures
// (Globals.CreateOutput).
func (g *Globals) createOutputFile(dir, pattern string) (outputFile, error) {
	if g.CreateOutput != nil {
		return g.CreateOutput(dir, pattern)
	}
	return os.CreateTemp(dir, pattern)
}

// output is one report a command was asked for.
type output struct {
	flag   string // the option that asked for it, as the operator typed it
	kind   string // HTML, PDF, JSON
	path   string // "-" is stdout
	render func(io.Writer) error
}

// staged is an output rendered and written to its temporary file.
type staged struct {
	output
	data []byte // for stdout
	tmp  string
}

// checkOutputDirs fails at once, before any work, when the folder of an
// output is missing, is not a folder, or cannot be written.
func checkOutputDirs(g *Globals, outs []output) error {
	for _, o := range outs {
		if o.path == "" || o.path == "-" {
			continue
		}
		dir := filepath.Dir(o.path)
		fi, err := os.Stat(dir)
		switch {
		case errors.Is(err, os.ErrNotExist):
			return WithExitCode(ExitError, errors.New(g.L.F("%s %s: la carpeta %s no existe; créela o elija otra antes de verificar",
				"%s %s: the folder %s does not exist; create it or choose another before verifying", o.flag, o.path, dir)))
		case err != nil:
			return WithExitCode(ExitError, fmt.Errorf("%s %s: %w", o.flag, o.path, err))
		case !fi.IsDir():
			return WithExitCode(ExitError, errors.New(g.L.F("%s %s: %s no es una carpeta", "%s %s: %s is not a folder", o.flag, o.path, dir)))
		}
		f, err := g.createOutputFile(dir, ".recon-check-*")
		if err != nil {
			return WithExitCode(ExitError, errors.New(g.L.F("%s %s: no se puede escribir en la carpeta %s: %v",
				"%s %s: cannot write in the folder %s: %v", o.flag, o.path, dir, err)))
		}
		f.Close()
		os.Remove(f.Name())
	}
	return nil
}

// stageOutputs renders every output and writes each to a synced temporary
// file beside its path. When any fails, it removes what it staged and
// returns an error naming every output that could not be written.
func stageOutputs(g *Globals, outs []output) ([]staged, error) {
	var done []staged
	var failed []string
	for _, o := range outs {
		if o.path == "" {
			continue
		}
		s, err := stageOne(g, o)
		if err != nil {
			failed = append(failed, g.L.F("%s (%s %s): %v", "%s (%s %s): %v", o.kind, o.flag, o.path, err))
			continue
		}
		done = append(done, s)
	}
	if len(failed) > 0 {
		discard(done)
		return nil, &outputsError{failed: failed}
	}
	return done, nil
}

// outputsError names the reports that could not be written.
type outputsError struct{ failed []string }

func (e *outputsError) Error() string { return strings.Join(e.failed, "; ") }

func stageOne(g *Globals, o output) (staged, error) {
	var buf bytes.Buffer
	if err := o.render(&buf); err != nil {
		return staged{}, err
	}
	s := staged{output: o, data: buf.Bytes()}
	if o.path == "-" {
		return s, nil
	}
	f, err := g.createOutputFile(filepath.Dir(o.path), "."+filepath.Base(o.path)+".tmp-*")
	if err != nil {
		return staged{}, err
	}
	_, err = f.Write(buf.Bytes())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err != nil {
		os.Remove(f.Name())
		return staged{}, err
	}
	s.tmp, s.data = f.Name(), nil
	return s, nil
}

func discard(list []staged) {
	for _, s := range list {
		if s.tmp != "" {
			os.Remove(s.tmp)
		}
	}
}

// publish renames every staged output into place (stdout ones are
// written) and says where each went. It returns an error naming those it
// could not put in place.
func publish(g *Globals, list []staged) error {
	var failed []string
	for i, s := range list {
		if s.path == "-" {
			if _, err := g.Stdout.Write(s.data); err != nil {
				failed = append(failed, fmt.Sprintf("%s (%s -): %v", s.kind, s.flag, err))
			}
			continue
		}
		if err := os.Rename(s.tmp, s.path); err != nil {
			os.Remove(s.tmp)
			failed = append(failed, fmt.Sprintf("%s (%s %s): %v", s.kind, s.flag, s.path, err))
			continue
		}
		list[i].tmp = ""
		syncDir(filepath.Dir(s.path))
		if !g.Quiet {
			// A message, not output: stdout may be carrying --json=-.
			fmt.Fprintln(g.Stderr, g.L.F("%s escrito en %s", "%s written to %s", s.kind, s.path))
		}
	}
	if len(failed) > 0 {
		return &outputsError{failed: failed}
	}
	return nil
}

// syncDir makes a rename in dir durable; a folder that cannot be synced
// (some network filesystems) still holds the renamed file.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// writeWhole stages and publishes outs: the commands with no run to store
// (report, compare, demo) use it.
func writeWhole(g *Globals, outs []output) error {
	list, err := stageOutputs(g, outs)
	if err != nil {
		return notWritten(g, err)
	}
	if err := publish(g, list); err != nil {
		return notWritten(g, err)
	}
	return nil
}

// notWritten is the error of outputs that could not be written.
func notWritten(g *Globals, err error) error {
	return errors.New(g.L.F("no se escribió: %v", "not written: %v", err))
}

// resultOutputs are the JSON, HTML and PDF forms of a verification result.
func resultOutputs(g *Globals, rnd renderers, res *reconcile.Result, so *approval.Status, clinic string, json, html, pdf [2]string) []output {
	return []output{
		{flag: json[0], kind: "JSON", path: json[1], render: func(w io.Writer) error { return reports.JSON(w, *res) }},
		{flag: html[0], kind: "HTML", path: html[1], render: func(w io.Writer) error {
			return reports.HTML(w, *res, reports.HTMLOptions{Lang: g.L, Clinic: clinic, Now: g.Now, Location: g.zone(), Charts: rnd.charts, Signoff: so})
		}},
		{flag: pdf[0], kind: "PDF", path: pdf[1], render: func(w io.Writer) error {
			return reports.PDF(w, *res, reports.PDFOptions{Lang: g.L, Clinic: clinic, Now: g.Now, Location: g.zone(), Fonts: rnd.fonts})
		}},
	}
}
