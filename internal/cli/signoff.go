package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/pdfraw"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/signoff"
)

// SignoffCmd groups the digital sign-off commands.
type SignoffCmd struct {
	Check  SignoffCheckCmd  `cmd:"" help:"${help_signoff_check}"`
	Record SignoffRecordCmd `cmd:"" help:"${help_signoff_record}"`
	Sign   SignoffSignCmd   `cmd:"" help:"${help_signoff_sign}"`
}

// SignoffSignCmd signs the approval's signature field with a .p12
// certificate, for clinics that hold one.
type SignoffSignCmd struct {
	File        string `arg:"" type:"existingfile" help:"${help_signoff_sign_file}"`
	P12         string `name:"p12" required:"" type:"existingfile" help:"${help_signoff_p12}" placeholder:"FILE.p12"`
	PasswordEnv string `name:"password-env" help:"${help_signoff_password_env}" placeholder:"VAR"`
	Out         string `name:"out" required:"" help:"${help_signoff_out}" placeholder:"FILE.pdf"`
	Reason      string `name:"reason" help:"${help_signoff_reason}"`
	Location    string `name:"location" help:"${help_signoff_location}"`
}

func (c *SignoffSignCmd) Run(ctx context.Context, g *Globals) error {
	l := g.L
	in, err := os.ReadFile(c.File)
	if err != nil {
		return fmt.Errorf("read %s: %w", c.File, err)
	}
	p12, err := os.ReadFile(c.P12)
	if err != nil {
		return fmt.Errorf("read %s: %w", c.P12, err)
	}
	password := ""
	if c.PasswordEnv != "" {
		v, ok := os.LookupEnv(c.PasswordEnv)
		if !ok {
			return WithExitCode(ExitError, errors.New(l.F("la variable %s no está definida", "the variable %s is not set", c.PasswordEnv)))
		}
		password = v
	}
	signer, err := signoff.LoadP12(p12, password)
	if err != nil {
		return WithExitCode(ExitError, fmt.Errorf("%s: %w", l.F("no se pudo leer el certificado %s (¿contraseña?)",
			"could not read the certificate %s (password?)", c.P12), err))
	}
	reason := c.Reason
	if reason == "" {
		reason = l.S("Apruebo la migración de datos", "I approve the data migration")
	}
	out, err := signoff.Sign(in, signer, signoff.SignOptions{Reason: reason, Location: c.Location, Time: g.Now()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(c.Out, out, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", c.Out, err)
	}
	fmt.Fprintln(g.Stdout, l.F("Firmado por %s: %s", "Signed by %s: %s", signer.Cert.Subject.String(), c.Out))
	return nil
}

// dataOptions are the verify options a sign-off command needs to
// recompute the destination's content fingerprint.
type dataOptions struct {
	SourceDir string `name:"source-dir" type:"existingdir" help:"${help_verify_source_dir}"`
	MediaDir  string `name:"media-dir" help:"${help_media_dir}" type:"path"`
	Operator  string `name:"operator" env:"RECON_OPERATOR,USER" help:"${help_operator}"`
	Wait      bool   `name:"wait" help:"${help_verify_wait}"`
}

// SignoffCheckCmd checks a signed approval and whether the data it
// approves is still what the destination holds.
type SignoffCheckCmd struct {
	File        string `arg:"" type:"existingfile" help:"${help_signoff_file}"`
	CA          string `name:"ca" type:"existingfile" help:"${help_signoff_ca}" placeholder:"FILE.pem"`
	dataOptions `embed:""`
}

func (c *SignoffCheckCmd) Run(ctx context.Context, g *Globals) error {
	l := g.L
	b, err := readApproval(g, c.File)
	if err != nil {
		return err
	}
	var roots *x509.CertPool
	if c.CA != "" {
		if roots, err = loadCA(g, c.CA); err != nil {
			return err
		}
	}
	sig := signoff.Inspect(b, roots)
	printSignature(g, c.File, sig)
	if !sig.OK() {
		fmt.Fprintln(g.Stdout, l.S("Datos: no se compararon (la firma no es válida).", "Data: not compared (the signature is not valid)."))
		return WithExitCode(ExitProblems, errors.New(signatureVerdict(g, sig)))
	}
	if !sig.HasIdentity {
		return WithExitCode(ExitProblems, errors.New(l.S(
			"el PDF no dice qué verificación aprueba: no es una aprobación de recon",
			"the PDF does not say which verification it approves: it is not a recon approval")))
	}
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	dc, err := c.compare(ctx, g, pool, sig)
	if err != nil {
		return err
	}
	printDataCheck(g, dc)
	if !dc.Unchanged {
		return WithExitCode(ExitProblems, errors.New(l.S("los datos cambiaron desde la aprobación", "the data changed since the approval")))
	}
	return nil
}

// SignoffRecordCmd keeps a valid signed approval in the home's store and
// records it in migration_signoff.
type SignoffRecordCmd struct {
	File     string `arg:"" type:"existingfile" help:"${help_signoff_file}"`
	CA       string `name:"ca" type:"existingfile" help:"${help_signoff_ca}" placeholder:"FILE.pem"`
	Operator string `name:"operator" env:"RECON_OPERATOR,USER" help:"${help_operator}"`
}

func (c *SignoffRecordCmd) Run(ctx context.Context, g *Globals) error {
	l := g.L
	b, err := readApproval(g, c.File)
	if err != nil {
		return err
	}
	var roots *x509.CertPool
	if c.CA != "" {
		if roots, err = loadCA(g, c.CA); err != nil {
			return err
		}
	}
	sig := signoff.Inspect(b, roots)
	printSignature(g, c.File, sig)
	if !sig.OK() {
		return WithExitCode(ExitProblems, errors.New(signatureVerdict(g, sig)+l.S(": no se registró", ": not recorded")))
	}
	if !sig.HasIdentity {
		return WithExitCode(ExitProblems, errors.New(l.S(
			"el PDF no dice qué verificación aprueba: no es una aprobación de recon; no se registró",
			"the PDF does not say which verification it approves: it is not a recon approval; not recorded")))
	}
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	if run, err := signoff.CheckApprovable(ctx, pool, sig); err != nil {
		switch {
		case errors.Is(err, signoff.ErrRunUnknown):
			err = errors.New(l.F("la verificación #%d que aprueba no está en esta base de datos; no se registró",
				"the verification run #%d it approves is not in this database; not recorded", sig.Identity.RunID))
		case errors.Is(err, signoff.ErrRunNotReady):
			err = errors.New(l.F("la verificación #%d que aprueba no estaba lista para aprobación (%s); no se registró",
				"the verification run #%d it approves was not ready for sign-off (%s); not recorded", sig.Identity.RunID,
				approval.Verdict(run.OK, run.SignoffReady)))
		case errors.Is(err, signoff.ErrSignedBeforeRun):
			err = errors.New(l.F("la firma (%s) es anterior a la verificación #%d que aprueba (%s); no se registró",
				"the signature (%s) is earlier than the verification run #%d it approves (%s); not recorded",
				sig.SigningTime.UTC().Format(time.RFC3339), sig.Identity.RunID, run.GeneratedAt.UTC().Format(time.RFC3339)))
		default:
			return err
		}
		return WithExitCode(ExitProblems, err)
	}
	rec, created, err := signoff.Save(ctx, pool, g.Home, b, sig, operatorName(c.Operator), g.Now())
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintln(g.Stdout, l.F("Aprobación registrada (#%d), guardada en %s", "Sign-off recorded (#%d), stored in %s",
			rec.ID, signoff.StorePath(g.Home, rec.FileSHA256)))
	} else {
		fmt.Fprintln(g.Stdout, l.F("Esta aprobación ya estaba registrada (#%d, %s por %s)", "This sign-off was already recorded (#%d, %s by %s)",
			rec.ID, g.clock(&rec.RecordedAt), rec.RecordedBy))
	}
	return nil
}

// compare verifies the destination now (under the import lock, as verify
// does) and compares its content with the approved one.
func (o dataOptions) compare(ctx context.Context, g *Globals, pool *pgxpool.Pool, sig signoff.Signature) (signoff.DataCheck, error) {
	media := o.MediaDir
	if media == "" {
		media = filepath.Join(g.Home, "media")
	}
	lock, err := importer.AcquireLock(ctx, pool, importer.LockOptions{Command: "verify", Operator: operatorName(o.Operator), Wait: o.Wait})
	if err != nil {
		return signoff.DataCheck{}, localizeLockError(g, err)
	}
	now, err := reconcile.Verify(ctx, pool, reconcile.Options{SourceDir: o.SourceDir, MediaDir: media, Sample: 1,
		Operator: operatorName(o.Operator), Now: g.Now})
	lock.Release(ctx)
	if err != nil {
		return signoff.DataCheck{}, err
	}
	return signoff.CompareData(ctx, pool, sig.Identity, now)
}

// loadCA reads PEM certificates of the authorities a signer must chain to.
func loadCA(g *Globals, path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, WithExitCode(ExitError, errors.New(g.L.F("%s no contiene certificados PEM", "%s holds no PEM certificates", path)))
	}
	return pool, nil
}

// limitText says which reading limit a refused PDF went beyond.
func limitText(g *Globals, le *pdfraw.LimitError) string {
	l := g.L
	if le == nil {
		return l.S("el PDF no se leyó: supera un límite de lectura", "the PDF was not read: it goes beyond a reading limit")
	}
	switch le.Kind {
	case pdfraw.LimitSize:
		return l.F("el PDF no se leyó: tiene %d bytes, más de los %d permitidos", "the PDF was not read: it has %d bytes, more than the %d allowed", le.Value, le.Limit)
	case pdfraw.LimitDepth:
		return l.F("el PDF no se leyó: tiene listas o diccionarios anidados a más de %d niveles (byte %d); no es una aprobación de recon",
			"the PDF was not read: it nests arrays or dictionaries more than %d levels deep (byte %d); it is not a recon approval", le.Limit, le.Offset)
	case pdfraw.LimitObjects:
		return l.F("el PDF no se leyó: declara más de %d objetos (byte %d); no es una aprobación de recon",
			"the PDF was not read: it declares more than %d objects (byte %d); it is not a recon approval", le.Limit, le.Offset)
	case pdfraw.LimitLoop:
		return l.F("el PDF no se leyó: sus flujos de objetos se extienden unos a otros en un ciclo (objeto %d); no es una aprobación de recon",
			"the PDF was not read: its object streams extend one another in a loop (object %d); it is not a recon approval", le.Value)
	default:
		return l.F("el PDF no se leyó: sus secciones comprimidas se expanden a más de %d bytes (byte %d)",
			"the PDF was not read: its compressed sections expand to more than %d bytes (byte %d)", le.Limit, le.Offset)
	}
}

// readApproval reads a signed approval, refusing one larger than the
// reading limit before loading it.
func readApproval(g *Globals, path string) ([]byte, error) {
	max := pdfraw.DefaultLimits().MaxBytes
	if fi, err := os.Stat(path); err == nil && fi.Size() > max {
		return nil, WithExitCode(ExitProblems, fmt.Errorf("%s: %s", path, limitText(g, &pdfraw.LimitError{Kind: pdfraw.LimitSize, Value: fi.Size(), Limit: max})))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}

// signatureVerdict is the one-line outcome of a signature that is not OK.
func signatureVerdict(g *Globals, s signoff.Signature) string {
	l := g.L
	switch s.Status {
	case signoff.Unsigned:
		return l.S("el PDF no está firmado", "the PDF is not signed")
	case signoff.Invalid:
		return l.S("la firma no es válida: el documento cambió después de firmarlo o la firma está dañada",
			"the signature is not valid: the document changed after it was signed or the signature is damaged")
	case signoff.Altered:
		return l.S("se añadió contenido al PDF después de firmarlo", "content was added to the PDF after it was signed")
	case signoff.Expired:
		return l.F("el certificado del firmante no era válido cuando se firmó (válido del %s al %s; firmado el %s): la firma corresponde al documento, pero el certificado había vencido o aún no era válido",
			"the signer's certificate was not valid when it signed (valid from %s to %s; signed on %s): the signature matches the document, but the certificate had expired or was not valid yet",
			s.CertNotBefore.Format("2006-01-02"), s.CertNotAfter.Format("2006-01-02"), s.SigningTime.Format("2006-01-02 15:04"))
	case signoff.Refused:
		return limitText(g, s.Limit)
	}
	if s.ChainChecked && s.ChainError != "" {
		return l.S("el certificado del firmante no proviene de la autoridad indicada con --ca",
			"the signer's certificate does not come from the authority given with --ca")
	}
	return l.S("firma no aceptada", "signature not accepted")
}

func printSignature(g *Globals, file string, s signoff.Signature) {
	l, w := g.L, g.Stdout
	fmt.Fprintln(w, l.F("Aprobación firmada: %s", "Signed approval: %s", file))
	fmt.Fprintln(w, l.F("  SHA-256 del archivo: %s", "  File SHA-256: %s", s.FileSHA256))
	status := map[signoff.Status][2]string{
		signoff.Valid:    {"válida, cubre todo el archivo", "valid, covers the whole file"},
		signoff.Unsigned: {"sin firmar", "unsigned"},
		signoff.Invalid:  {"NO VÁLIDA", "NOT VALID"},
		signoff.Altered:  {"válida, pero el archivo se modificó después de firmarlo", "valid, but the file was modified after it was signed"},
		signoff.Expired:  {"NO VÁLIDA: el certificado del firmante había vencido o aún no era válido al firmar", "NOT VALID: the signer's certificate had expired or was not valid yet when it signed"},
		signoff.Refused:  {"NO SE LEYÓ: el archivo supera un límite de lectura", "NOT READ: the file goes beyond a reading limit"},
	}[s.Status]
	fmt.Fprintln(w, l.F("Firma: %s", "Signature: %s", l.S(status[0], status[1])))
	switch {
	case s.Status == signoff.Refused || s.Status == signoff.Expired:
		fmt.Fprintln(w, l.F("  Detalle: %s", "  Detail: %s", signatureVerdict(g, s)))
	case s.Problem != "":
		fmt.Fprintln(w, l.F("  Detalle: %s", "  Detail: %s", strings.ReplaceAll(s.Problem, "\n", " ")))
	}
	if s.Subject != "" {
		fmt.Fprintln(w, l.F("  Firmante: %s", "  Signer: %s", s.Subject))
		if !s.SelfSigned {
			fmt.Fprintln(w, l.F("  Emisor: %s", "  Issuer: %s", s.Issuer))
		}
	}
	if !s.SigningTime.IsZero() {
		fmt.Fprintln(w, l.F("  Fecha de firma: %s", "  Signing time: %s", s.SigningTime.In(g.zone()).Format("2006-01-02 15:04:05 MST")))
	}
	if s.Reason != "" {
		fmt.Fprintln(w, l.F("  Motivo: %s", "  Reason: %s", s.Reason))
	}
	switch {
	case s.ChainChecked && s.ChainError == "":
		fmt.Fprintln(w, l.S("  Cadena de certificados: proviene de la autoridad indicada (--ca)", "  Certificate chain: comes from the given authority (--ca)"))
	case s.ChainChecked:
		fmt.Fprintln(w, l.F("  Cadena de certificados: NO proviene de la autoridad indicada (--ca): %s",
			"  Certificate chain: does NOT come from the given authority (--ca): %s", s.ChainError))
	case s.SelfSigned:
		fmt.Fprintln(w, l.S("  Aviso: certificado autofirmado; se acepta, pero solo el firmante da fe de su identidad (use --ca para exigir una autoridad).",
			"  Notice: self-signed certificate; accepted, but only the signer vouches for the identity (use --ca to require an authority)."))
	case s.Subject != "":
		fmt.Fprintln(w, l.S("  Aviso: la cadena del certificado no se comprobó (use --ca).", "  Notice: the certificate chain was not checked (use --ca)."))
	}
	if s.HasIdentity {
		fmt.Fprintln(w, l.F("Aprueba la verificación #%d", "Approves verification run #%d", s.Identity.RunID))
		fmt.Fprintln(w, l.F("  Huella: %s", "  Fingerprint: %s", s.Identity.Fingerprint))
		fmt.Fprintln(w, l.F("  Huella del contenido: %s", "  Content fingerprint: %s", s.Identity.ContentFingerprint))
	}
}

func printDataCheck(g *Globals, d signoff.DataCheck) {
	l, w := g.L, g.Stdout
	fmt.Fprintln(w, l.F("Huella del contenido actual: %s", "Current content fingerprint: %s", d.ContentFingerprint))
	switch {
	case d.Unchanged:
		fmt.Fprintln(w, l.S("Datos: sin cambios desde la aprobación", "Data: unchanged since the approval"))
	case d.ContentSame:
		fmt.Fprintln(w, l.F("Datos: mismo contenido, pero la verificación de ahora (%s) es peor que la aprobada (%s)",
			"Data: same content, but the verification now (%s) is worse than the approved one (%s)", d.Verdict, d.Approved))
	case d.RunStored:
		fmt.Fprintln(w, l.F("Datos: CAMBIARON desde la aprobación, en las tablas: %s", "Data: CHANGED since the approval, in the tables: %s",
			strings.Join(d.Changed, ", ")))
	default:
		fmt.Fprintln(w, l.S("Datos: CAMBIARON desde la aprobación (la verificación aprobada no está en esta base de datos: no se pueden nombrar las tablas)",
			"Data: CHANGED since the approval (the approved run is not in this database: the tables cannot be named)"))
	}
}
