// Package cli is recon's command-line interface: a kong command tree, one
// file per command, each with Run(ctx, *Globals) error. Run maps the outcome
// to the process exit code; nothing else in recon decides exit codes.
package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kong"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reports"
)

// CLI is the whole command tree.
type CLI struct {
	Globals

	DB       DBCmd       `cmd:"" name:"db" help:"${help_db}"`
	Gen      GenCmd      `cmd:"" name:"gen" help:"${help_gen}"`
	Inspect  InspectCmd  `cmd:"" name:"inspect" help:"${help_inspect}"`
	Import   ImportCmd   `cmd:"" name:"import" help:"${help_import}"`
	Rollback RollbackCmd `cmd:"" name:"rollback" help:"${help_rollback}"`
	Batches  BatchesCmd  `cmd:"" name:"batches" help:"${help_batches}"`
	Issues   IssuesCmd   `cmd:"" name:"issues" help:"${help_issues}"`
	Correct  CorrectCmd  `cmd:"" name:"correct" help:"${help_correct}"`
	Show     ShowCmd     `cmd:"" name:"show" help:"${help_show}"`
	Review   ReviewCmd   `cmd:"" name:"review" help:"${help_review}"`
	Verify   VerifyCmd   `cmd:"" name:"verify" help:"${help_verify}"`
	Report   ReportCmd   `cmd:"" name:"report" help:"${help_report}"`
	Compare  CompareCmd  `cmd:"" name:"compare" help:"${help_compare}"`
	Signoff  SignoffCmd  `cmd:"" name:"signoff" help:"${help_signoff}"`
	Demo     DemoCmd     `cmd:"" name:"demo" help:"${help_demo}"`
	Version  VersionCmd  `cmd:"" name:"version" help:"${help_version}"`
}

// Exit codes. Verification distinguishes "found problems" from "could not run".
const (
	ExitOK       = 0
	ExitProblems = 1 // the command ran and found problems (verify) or a batch failed
	ExitError    = 2 // the command could not run: bad arguments, unreachable database...
)

// codedError lets a command choose its exit code while still returning an
// error message, e.g. verify's "found problems".
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// WithExitCode wraps err so Run exits with code.
func WithExitCode(code int, err error) error { return &codedError{code: code, err: err} }

// kongExit carries kong's requested exit (after --help) out of the parser.
type kongExit int

// Run parses args (without the program name), runs the command and returns
// the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	defer startProfiles(stderr)()
	return RunWithStdin(ctx, args, os.Stdin, stdout, stderr)
}

// RunWithStdin is Run reading confirmations from stdin, so tests can answer.
func RunWithStdin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	charts, err := reports.EmbeddedCharts()
	return runCLI(ctx, args, stdin, stdout, stderr, charts, err)
}

// runCLI is RunWithStdin with the chart library given, so tests run the
// same with or without the one built into the test binary; setup lets
// tests inject dependencies (a failing output file) into the globals.
func runCLI(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, charts reports.Charts, chartsErr error, setup ...func(*Globals)) (code int) {
	lang := detectLang(args)
	cli := CLI{}
	cli.Stdin, cli.Stdout, cli.Stderr, cli.Now = stdin, stdout, stderr, time.Now
	cli.Charts, cli.ChartsErr = charts, chartsErr
	for _, f := range setup {
		f(&cli.Globals)
	}

	defer func() {
		if r := recover(); r != nil {
			if k, ok := r.(kongExit); ok {
				code = int(k)
				return
			}
			panic(r)
		}
	}()
	parser, err := kong.New(&cli,
		kong.Name("recon"),
		kong.Description(lang.S(
			"recon migra las exportaciones de OkVet.co a Pet-Friendly y demuestra que no se perdió nada.",
			"recon migrates OkVet.co exports into Pet-Friendly and proves that nothing was lost.")),
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) { panic(kongExit(c)) }),
		kong.Vars(helpVars(lang)),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true, NoExpandSubcommands: false}),
		kong.Help(localHelp(lang)),
		kong.PostBuild(func(k *kong.Kong) error {
			for _, f := range k.Model.Flags {
				if f.Name == "help" {
					f.Help = lang.S("Muestra la ayuda de este comando.", "Show context-sensitive help.")
				}
			}
			return nil
		}),
	)
	if err != nil {
		fmt.Fprintln(stderr, "recon:", err)
		return ExitError
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "recon: %s\n", translateParseError(lang, err.Error()))
		fmt.Fprintln(stderr, lang.S(`Ejecute "recon --help" para ver la ayuda.`, `Run "recon --help" for more information.`))
		return ExitError
	}
	cli.L, _ = i18n.Parse(cli.Lang)
	loc, err := time.LoadLocation(cli.TZ)
	if err != nil || cli.TZ == "" || strings.EqualFold(cli.TZ, "local") {
		fmt.Fprintln(stderr, "recon: "+cli.L.F(
			"zona horaria desconocida %q en --tz (o RECON_TZ): use un nombre como America/Bogota o UTC",
			"unknown time zone %q in --tz (or RECON_TZ): use a name such as America/Bogota or UTC", cli.TZ))
		return ExitError
	}
	cli.Loc = loc
	kctx.BindTo(ctx, (*context.Context)(nil))
	if err := kctx.Run(ctx, &cli.Globals); err != nil {
		return report(&cli.Globals, err)
	}
	return ExitOK
}

func report(g *Globals, err error) int {
	var ee *codedError
	code := ExitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if err.Error() != "" {
		fmt.Fprintf(g.Stderr, "recon: %s\n", err)
	}
	return code
}

// detectLang finds --lang before kong parses, because kong needs the help
// texts when it builds the model.
func detectLang(args []string) i18n.Lang {
	val := os.Getenv("RECON_LANG")
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			val = v
		} else if a == "--lang" && i+1 < len(args) {
			val = args[i+1]
		}
	}
	l, err := i18n.Parse(val)
	if err != nil {
		return i18n.ES
	}
	return l
}

// localHelp prints kong's help with Spanish section headings when needed.
func localHelp(lang i18n.Lang) kong.HelpPrinter {
	return func(options kong.HelpOptions, ctx *kong.Context) error {
		defer listImportTypes(ctx.Model.Node, lang)()
		if lang == i18n.EN {
			return kong.DefaultHelpPrinter(options, ctx)
		}
		var buf bytes.Buffer
		out := ctx.Stdout
		ctx.Stdout = &buf
		err := kong.DefaultHelpPrinter(options, ctx)
		ctx.Stdout = out
		if err != nil {
			return err
		}
		r := strings.NewReplacer(
			"Usage:", "Uso:",
			"Flags:", "Opciones:",
			"Commands:", "Comandos:",
			"Arguments:", "Argumentos:",
			`Run "`, `Ejecute "`,
			`" for more information on a command.`, `" para más información sobre un comando.`,
			"<command>", "<comando>",
			"[flags]", "[opciones]",
			`" for more information.`, `" para más información.`,
			"(default: ", "(por defecto: ",
			"($", "(variable $",
		)
		_, err = io.WriteString(out, r.Replace(buf.String()))
		return err
	}
}

func translateParseError(lang i18n.Lang, msg string) string {
	if lang == i18n.EN {
		return msg
	}
	r := strings.NewReplacer(
		"unexpected argument", "argumento inesperado",
		"unknown flag", "opción desconocida",
		"missing flags:", "faltan opciones:",
		"expected one of", "se esperaba uno de",
		// kong's value errors: longer phrases before their parts.
		"expected a valid 64 bit int", "se esperaba un número entero",
		"expected a valid 64 bit uint", "se esperaba un número entero no negativo",
		"expected a valid 32 bit int", "se esperaba un número entero",
		"expected a float", "se esperaba un número",
		"expected string value", "se esperaba un texto",
		"(short flag); perhaps try", "(parece una opción corta); pruebe",
		"(long flag); perhaps try", "(parece una opción); pruebe",
		"expected", "se esperaba",
		"must be one of", "debe ser uno de",
		"but got", "pero se recibió",
		"missing positional arguments", "faltan argumentos",
		"unexpected token", "elemento inesperado",
		"can't be used together", "no pueden usarse juntas",
		"[flags]", "[opciones]",
	)
	return r.Replace(msg)
}

// SignalContext is cancelled by Ctrl-C or SIGTERM so commands can stop
// cleanly (and roll back their open transaction).
func SignalContext() context.Context {
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	return ctx
}
