package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reports"
	"github.com/petfriendly/recon/source"
)

// InspectCmd describes export files without importing anything.
type InspectCmd struct {
	Paths   []string `arg:"" name:"path" help:"${help_inspect_paths}"`
	JSON    bool     `name:"json" help:"${help_inspect_json}"`
	Profile string   `name:"profile" help:"${help_profile}" placeholder:"PROFILE"`
	Mapping string   `name:"mapping" help:"${help_mapping}" type:"existingfile" placeholder:"FILE"`
	Sample  int      `name:"sample" help:"${help_inspect_sample}" default:"3"`
	csvLimitFlags
}

// Run inspects every path and prints the result.
func (c *InspectCmd) Run(ctx context.Context, g *Globals) error {
	if c.Profile != "" && !slices.Contains(source.Profiles(), c.Profile) {
		return fmt.Errorf("%s", g.L.F("perfil desconocido %q (use %s)", "unknown profile %q (use %s)",
			c.Profile, strings.Join(source.Profiles(), ", ")))
	}
	opts := source.Options{Profile: c.Profile, Now: g.Now, Limits: c.limits()}
	if c.Mapping != "" {
		m, err := source.LoadMapping(c.Mapping)
		if err != nil {
			return err
		}
		opts.Mapping = m
	}
	all := source.Inspection{Files: []source.FileReport{}}
	for _, p := range c.Paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		in, err := source.Inspect(p, opts, c.Sample)
		if err != nil {
			return err
		}
		all.Files = append(all.Files, in.Files...)
	}
	if c.JSON {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	return printInspection(g.Stdout, g.L, all)
}

func printInspection(w io.Writer, l i18n.Lang, in source.Inspection) error {
	var b strings.Builder
	for i, f := range in.Files {
		if i > 0 {
			b.WriteString("\n")
		}
		printFile(&b, l, f)
	}
	if len(in.Files) == 0 {
		b.WriteString(l.S("No hay archivos que inspeccionar.\n", "No files to inspect.\n"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func printFile(b *strings.Builder, l i18n.Lang, f source.FileReport) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("== %s ==\n", f.Path)
	if !f.Recognized {
		p("  %s: %s\n", l.S("no reconocido", "not recognised"), reasonText(l, f.Reason))
		p("  %s: %s\n", l.S("detalle", "detail"), f.Error)
	}
	if f.Format != "" {
		format := f.Format
		if f.Sheet != "" {
			format += l.F(", hoja %q", ", sheet %q", f.Sheet)
		}
		if f.Encoding != "" {
			format += l.F(", codificación %s", ", encoding %s", f.Encoding)
		}
		if f.Delimiter != "" {
			format += l.F(", separador %s", ", delimiter %s", f.Delimiter)
		}
		p("  %s: %s\n", l.S("formato", "format"), format)
	}
	if len(f.Sheets) > 1 {
		p("  %s:\n", l.S("hojas", "sheets"))
		for _, sh := range f.Sheets {
			first := ""
			if sh.FirstLine > 1 {
				first = l.F(" (sus filas se numeran desde %d)", " (its rows are numbered from %d)", sh.FirstLine)
			}
			p("    %q: %s%s\n", sh.Name, reports.SheetLabel(l, sh), first)
		}
	}
	if f.HeaderRow > 0 {
		p("  %s: %d\n", l.S("fila de encabezado", "header row"), f.HeaderRow)
	}
	if f.Recognized {
		p("  %s: %s; %s: %s\n", l.S("perfil", "profile"), f.Profile, l.S("tipos", "types"), strings.Join(f.Types, ", "))
		var counts []string
		for _, t := range f.Types {
			counts = append(counts, fmt.Sprintf("%s %d", t, f.Records[t]))
		}
		p("  %s: %s (%s %d, %s %d, %s %d)\n", l.S("registros", "records"), strings.Join(counts, ", "),
			l.S("omitidos", "skipped"), f.Skipped, l.S("filas con error", "malformed rows"), f.RowErrorsN,
			l.S("filas vacías", "blank rows"), f.BlankRows)
	}
	if len(f.Columns) > 0 {
		p("  %s:\n", l.S("columnas", "columns"))
		width := 0
		for _, c := range f.Columns {
			n := len([]rune(c.Header))
			if c.Sheet != "" && len(f.Sheets) > 1 {
				n += len([]rune(c.Sheet)) + 3
			}
			width = max(width, n)
		}
		for _, c := range f.Columns {
			target := l.S("(sin mapear)", "(unmapped)")
			if c.Field != "" {
				target = c.Type + "." + c.Field
			}
			if c.Note != "" && c.Status != source.ColumnConflict { // a conflict's label says it
				target += " [" + noteText(l, c.Note) + "]"
			}
			switch c.Status {
			case source.ColumnIgnored, source.ColumnNotMigrated, source.ColumnConflict:
				target += " — " + reports.ColumnLabel(l, c)
			}
			header := c.Header
			if c.Sheet != "" && len(f.Sheets) > 1 {
				header = c.Sheet + " · " + header
			}
			p("    %3d  %-*s  → %s\n", c.Index, width, header, target)
		}
	}
	if len(f.Unmapped) > 0 {
		p("  %s: %s\n", l.S("sin mapear", "unmapped"), strings.Join(f.Unmapped, ", "))
	}
	for _, i := range f.FileInfo.Issues {
		p("  %s: %s\n", l.S("aviso", "note"), fileIssueText(l, f.Format, i))
	}
	if len(f.IssueCounts) > 0 {
		keys := make([]string, 0, len(f.IssueCounts))
		for k := range f.IssueCounts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s %d", k, f.IssueCounts[k])
		}
		p("  %s: %s\n", l.S("problemas", "issues"), strings.Join(parts, ", "))
	}
	if len(f.RowErrors) > 0 {
		p("  %s:\n", l.S("filas con error", "malformed rows"))
		for _, e := range f.RowErrors {
			p("    %s\n", e)
		}
		if more := f.RowErrorsN - len(f.RowErrors); more > 0 {
			p("    %s\n", l.F("… y %d más", "… and %d more", more))
		}
	}
	if len(f.Samples) > 0 {
		p("  %s:\n", l.S("muestra", "sample"))
		for _, s := range f.Samples {
			p("    %s %s %d  %s", s.Type, l.S("línea", "line"), s.Line, s.SourceID)
			if s.Skip != "" {
				p("  [%s: %s]", l.S("omitido", "skipped"), s.Skip)
			}
			p("\n")
			for _, fl := range s.Fields {
				val := fmt.Sprintf("%q", fl.Value)
				if !fl.Valid {
					val = l.S("(vacío)", "(empty)")
				}
				issue := ""
				if fl.Issue != "" {
					issue = "  [" + fl.Issue + "]"
				}
				p("      %-20s %q → %s%s\n", fl.Field, fl.Raw, val, issue)
			}
		}
	}
}

func reasonText(l i18n.Lang, reason string) string {
	switch reason {
	case "empty":
		return l.S("archivo vacío", "empty file")
	case "binary":
		return l.S("archivo binario, no es CSV ni XLSX", "binary file, not CSV or XLSX")
	case "legacy_xls":
		return l.S("libro .xls antiguo o cifrado: ábralo en Excel y guárdelo como .xlsx", "legacy .xls or encrypted workbook: save it as .xlsx in Excel")
	case "corrupt_xlsx":
		return l.S("libro XLSX dañado o truncado", "corrupt or truncated XLSX workbook")
	case "unrecognized":
		return l.S("los encabezados no corresponden a ningún tipo conocido", "the headers match no known type")
	case "ambiguous":
		return l.S("los encabezados corresponden a varios tipos; nombre el archivo según su tipo o use un archivo de mapeo",
			"the headers match several types; name the file after its type or use a mapping file")
	case "duplicate_header":
		return l.S("encabezado repetido", "duplicated header")
	case "missing_column":
		return l.S("falta una columna obligatoria", "a required column is missing")
	case "xlsx_limit":
		return l.S("el libro supera un límite (tamaño descomprimido, filas o celdas); si es auténtico, suba --max-xlsx-mb",
			"the workbook is beyond a limit (unpacked size, rows or cells); if it is genuine, raise --max-xlsx-mb")
	case "csv_limit":
		return l.S("el archivo supera un límite (columnas, tamaño de celda o de línea); si es auténtico, suba el límite con la opción indicada",
			"the file is beyond a limit (columns, cell or line size); if it is genuine, raise it with the option named")
	case "link_outside":
		return l.S("es un enlace a un archivo fuera de la carpeta de exportación", "is a link to a file outside the export folder")
	case "not_regular":
		return l.S("no es un archivo normal (tubería, dispositivo, enlace roto...)", "is not a regular file (pipe, device, broken link...)")
	}
	return l.S("no se pudo leer", "could not be read")
}

func noteText(l i18n.Lang, note string) string {
	switch note {
	case source.NoteSoftDelete:
		return l.S("marca de borrado: esas filas se omiten", "deletion marker: those rows are skipped")
	case source.NoteShadowed:
		return l.S("ignorada: otra columna ya llena ese campo", "ignored: another column already feeds that field")
	case source.NoteUnnamed:
		return l.S("sin encabezado", "no header")
	case source.NoteNotKept:
		return l.S("no se conserva", "not kept")
	}
	return note
}

func fileIssueText(l i18n.Lang, format string, i source.Issue) string {
	switch i.Type {
	case source.IssueTitleRows:
		return l.F("%s fila(s) de título sobre el encabezado omitida(s)", "%s title row(s) above the header skipped", i.Value)
	case source.IssueHeaderOnly:
		return l.S("solo encabezado: el archivo no tiene filas de datos", "header only: the file has no data rows")
	case source.IssueContentMismatch:
		return l.F("la extensión %s no corresponde al contenido: se lee como %s", "extension %s does not match the content: read as %s", i.Value, format)
	case source.IssueDate1904:
		return l.S("el libro usa el sistema de fechas de 1904 (Excel antiguo de Mac): sus fechas se leen en ese sistema",
			"the workbook uses the 1904 date system (old Mac Excel): its dates are read in that system")
	}
	return i.Type + ": " + i.Message
}
