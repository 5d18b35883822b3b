package source

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/source/normalize"
)

// mascotasHeader is OkVet's Mascotas report header row, in order.
func mascotasHeader() []any {
	var h []any
	for _, c := range MascotasReport() {
		h = append(h, c.Header)
	}
	return h
}

// mascotasSheet is a small Mascotas report: title row, header on row 2,
// date cells stored as serials, numbers as numbers, a mailto hyperlink,
// one owner with two pets and an owner identified only by a mobile.
func mascotasSheet() sheet {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	return sheet{
		name:  "Mascotas",
		merge: "A1:U1",
		rows: [][]any{
			{"OkVet - Mascotas"},
			mascotasHeader(),
			{"Firulais", "Canino", "Criollo(a)", 12.5, "Macho", "Esterilizado", d(2019, 4, 3), "Café", "", "Juan Pérez", "CC", "1.020.304.050", "mailto:JUAN@X.CO", 3001234567, "601 2345678", "Calle 1", "Hija", "WhatsApp", d(2020, 1, 15), d(2024, 1, 1), "Sí"},
			{"Misu", "Felino", "Angora", "0", "Hembra", "No esterilizado", "", "Blanco", d(2023, 6, 1), "Juan Pérez", "CC", "1020304050", "juan@x.co", "3001234567", "", "Calle 1", "", "", d(2020, 1, 15), "", "Sí"},
			nil, // an empty row: skipped, still counted in the numbering
			{"Nemo", "Pez", "", "", "", "", "", "", "", "Ana Ruiz", "Ninguno / Teléfono móvil", "310 555 1234", "", "", "", "", "", "", "", "", "No"},
			{"Rex", "Dinosaurio", "", "", "", "", d(2030, 1, 1), "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		},
		dateCols: []int{7, 9, 19, 20},
	}
}

func TestMascotasReport(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "Mascotas.xlsx", xlsxBytes(t, mascotasSheet()))
	res, err := readAll(t, p, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	in := res.info
	if in.Format != FormatXLSX || in.Sheet != "Mascotas" || in.HeaderRow != 2 || in.Profile != ProfileMascotas ||
		strings.Join(in.Types, ",") != "clients,pets" {
		t.Fatalf("info %+v", in)
	}
	if strings.Join(in.Unmapped, ",") != "Actualizado" {
		t.Errorf("unmapped %v", in.Unmapped)
	}
	var got []string
	for _, r := range res.records {
		got = append(got, r.Type+" "+r.SourceID+" @"+strconv.Itoa(r.Line))
	}
	want := []string{
		"clients own:cc:1020304050 @3",
		"pets pet:own:cc:1020304050:firulais:2019-04-03 @3",
		"pets pet:own:cc:1020304050:misu: @4",
		"clients own:tel:+573105551234 @6",
		"pets pet:own:tel:+573105551234:nemo: @6",
		"clients own:row:7 @7",
		"pets pet:own:row:7:rex:2030-01-01 @7",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	owner, firulais, misu := res.records[0], res.records[1], res.records[2]
	checks := []struct {
		rec   Record
		field string
		want  string
	}{
		{owner, "nombre", "Juan Pérez"},
		{owner, "tipo_documento", "cc"},
		{owner, "documento", "1020304050"},
		{owner, "email", "juan@x.co"},
		{owner, "celular", "+573001234567"},
		{owner, "telefono", "+576012345678"},
		{owner, "notas", "Contacto: Hija; TContacto: WhatsApp"},
		{owner, "fecha_registro", "2020-01-15T00:00:00-05:00"},
		{owner, "autorizacion_datos", "true"},
		{firulais, "id_cliente", "own:cc:1020304050"},
		{firulais, "especie", "dog"},
		{firulais, "peso", "12.5"},
		{firulais, "sexo", "male"},
		{firulais, "esterilizado", "true"},
		{firulais, "fecha_nacimiento", "2019-04-03"},
		{firulais, "fallecido", ""}, // blank: unknown, the importer applies the default
		{misu, "esterilizado", "false"},
		{misu, "fallecido", "true"},
		{res.records[4], "especie", "fish"},
		{res.records[6], "especie", "other"},
	}
	for _, c := range checks {
		if v := c.rec.Values[c.field]; v.Text != c.want {
			t.Errorf("%s %s.%s = %q (raw %q), want %q", c.rec.SourceID, c.rec.Type, c.field, v.Text, c.rec.Raw[c.field], c.want)
		}
	}
	if d := misu.Values["fallecido"].Time; d.Format(time.DateOnly) != "2023-06-01" {
		t.Errorf("date of death kept as %v", d)
	}
	if !hasIssue(misu.Issues, IssueUnknownWeight) {
		t.Errorf("weight 0 not flagged: %+v", misu.Issues)
	}
	rex := res.records[6]
	if !hasIssue(rex.Issues, IssueUnknownSpecies) || !hasIssue(rex.Issues, IssueFutureDate) {
		t.Errorf("rex issues %+v", rex.Issues)
	}
	if !strings.HasPrefix(firulais.RawText, "Firulais,Canino,Criollo(a),12.5,") {
		t.Errorf("raw text %q", firulais.RawText)
	}
	// Raw is enough to normalise again: the verifier's path.
	for _, r := range res.records {
		typ, _ := TypeByName(r.Type)
		vals, _ := Normalize(typ, r.Raw, nil, fixedNow())
		for f, v := range r.Values {
			if vals[f].Text != v.Text {
				t.Errorf("%s %s: renormalised %q != %q", r.SourceID, f, vals[f].Text, v.Text)
			}
		}
	}
}

func TestMascotasTypeFilter(t *testing.T) {
	p := writeFile(t, t.TempDir(), "mascotas.xlsx", xlsxBytes(t, mascotasSheet()))
	for _, typ := range []string{"clients", "pets"} {
		res, err := readAll(t, p, Options{Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(res.info.Types, ",") != typ {
			t.Errorf("types %v", res.info.Types)
		}
		n := map[string]int{}
		for _, r := range res.records {
			n[r.Type]++
		}
		want := map[string]int{"clients": 3, "pets": 4}[typ]
		if len(n) != 1 || n[typ] != want {
			t.Errorf("Type=%s: records %v", typ, n)
		}
	}
	if _, err := readAll(t, p, Options{Type: "vaccines"}); !errors.Is(err, ErrUnrecognized) && !errors.Is(err, ErrMissing) {
		t.Errorf("vaccines from a Mascotas report: %v", err)
	}
}

func TestMascotasRowError(t *testing.T) {
	s := mascotasSheet()
	s.rows[2] = append(s.rows[2], "beyond the header")
	p := writeFile(t, t.TempDir(), "mascotas.xlsx", xlsxBytes(t, s))
	for _, typ := range []string{"", "clients", "pets"} {
		res, err := readAll(t, p, Options{Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.rowErrs) != 1 || res.rowErrs[0].Line != 3 || res.rowErrs[0].Column != 22 {
			t.Fatalf("Type=%q row errors %v", typ, res.rowErrs)
		}
		for _, r := range res.records {
			if typ != "" && r.Type != typ {
				t.Errorf("Type=%q yielded %s", typ, r.Type)
			}
		}
	}
}

func TestDumpXLSX(t *testing.T) {
	owners := sheet{name: "owners", rows: [][]any{
		{"id", "name", "ident_type", "number_doc", "phone", "phone2", "mobile", "email", "address", "city", "region", "country",
			"conctact", "kind_person", "regime", "habeas_at", "created_at", "updated_at", "deleted_at"},
		{17, "Juan Pérez", "cc", "1020304050", "", "", "+573001234567", "juan@x.co", "Calle 1", "Bogotá", "", "CO", "", "natural", "", "2021-03-04 10:00:00", "2021-03-04 10:00:00", "2021-03-04 10:00:00", ""},
		{18, "Borrado", "cc", "999", "", "", "", "", "", "", "", "", "", "", "", "", "2021-03-04 10:00:00", "2022-01-01 00:00:00", "2022-01-01 00:00:00"},
	}}
	p := writeFile(t, t.TempDir(), "propietarios.xlsx", xlsxBytes(t, sheet{name: "Resumen", rows: [][]any{{"nada"}}}, owners))
	res, err := readAll(t, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.info.Sheet != "owners" || res.info.Profile != ProfileDump || strings.Join(res.info.Types, ",") != "clients" {
		t.Fatalf("info %+v", res.info)
	}
	if len(res.records) != 2 {
		t.Fatalf("%d records", len(res.records))
	}
	kept, deleted := res.records[0], res.records[1]
	if kept.Skip != "" || kept.SourceID != "17" || kept.Values["autorizacion_datos"].Text != "true" ||
		kept.Values["fecha_registro"].Text != "2021-03-04T10:00:00-05:00" {
		t.Errorf("kept %+v", kept.Values)
	}
	if deleted.Skip != SkipSoftDeleted || !hasIssue(deleted.Issues, IssueSoftDeleted) {
		t.Errorf("deleted %+v %+v", deleted.Skip, deleted.Issues)
	}
	for _, c := range res.info.Columns {
		if c.Header == "deleted_at" && c.Note != NoteSoftDelete {
			t.Errorf("deleted_at column %+v", c)
		}
	}
	if strings.Contains(strings.Join(res.info.Unmapped, ","), "deleted_at") {
		t.Errorf("deleted_at listed as unmapped: %v", res.info.Unmapped)
	}
}

func TestDumpPetsAndVaccines(t *testing.T) {
	dir := t.TempDir()
	pets := writeFile(t, dir, "mascotas.csv", []byte(
		"id,owner_id,name,specie,race,specie_other,race_other,gender_id,color,birth_at,weight,weight_unit,size_id,reproductive_state,photo,dead,dead_at,code,food,created_at,updated_at,deleted_at\n"+
			"5,17,Max,canine,Labrador,,,1,negro,2019-02-03,12500,g,2,sterilized,,0,,985141000123456,,2020-01-01,2020-01-01,\n"+
			"6,17,Nemo,other,other,Pescadito,Payaso,2,naranja,2021-01-01,0,kg,1,unknow,,1,2023-02-01,\"9,85141E+14\",,2020-01-01,2020-01-01,\n"))
	m := &Mapping{Vocabulary: Vocabulary{Species: map[string]string{"pescadito": "fish"}, Sex: map[string]string{"1": "male"},
		Vaccines: map[string]string{"7": "Rabia"}}}
	res, err := readAll(t, pets, Options{Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	if res.info.Profile != ProfileDump || res.info.Types[0] != "pets" {
		t.Fatalf("info %+v", res.info)
	}
	max, nemo := res.records[0], res.records[1]
	for f, want := range map[string]string{"sexo": "male", "peso": "12.5", "esterilizado": "true", "fallecido": "false", "microchip": "985141000123456", "especie": "dog"} {
		if got := max.Values[f].Text; got != want {
			t.Errorf("max %s = %q, want %q", f, got, want)
		}
	}
	if nemo.Values["especie"].Text != "fish" || nemo.Values["raza"].Text != "Payaso" || nemo.Values["sexo"].Valid ||
		nemo.Values["fallecido"].Text != "true" || nemo.Values["microchip"].Valid {
		t.Errorf("nemo %+v", nemo.Values)
	}
	for _, typ := range []string{IssueUnknownSexCode, normalizeCodePrecisionLost, IssueUnknownWeight, IssueUnknownBoolean} {
		if !hasIssue(nemo.Issues, typ) {
			t.Errorf("nemo lacks issue %s: %+v", typ, nemo.Issues)
		}
	}

	vacc := writeFile(t, dir, "vacunaciones.csv", []byte(
		"id,pet_id,vet_id,user_id,vaccine_type_id,laboratory,lot,details,vaccine_at,next_vaccine_at\n"+
			"1,5,2,2,7,Zoetis,L1,,2024-01-10,2025-01-10\n"+
			"2,5,2,2,9,MSD,L2,,2024-01-10,2025-01-10\n"))
	res, err = readAll(t, vacc, Options{Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	named, unnamed := res.records[0], res.records[1]
	if named.Values["vacuna"].Text != "Rabia" || named.Values["id_vacuna_catalogo"].Text != "7" {
		t.Errorf("named %+v", named.Values)
	}
	if unnamed.Values["vacuna"].Valid || unnamed.Values["id_vacuna_catalogo"].Text != "9" {
		t.Errorf("unnamed %+v", unnamed.Values)
	}
	for _, r := range res.records {
		if !hasIssue(r.Issues, IssueVaccineCatalogue) {
			t.Errorf("no %s: %+v", IssueVaccineCatalogue, r.Issues)
		}
	}
	if unnamed.Issues[0].Severity != SevWarning || named.Issues[0].Severity != SevInfo {
		t.Errorf("severities %+v / %+v", named.Issues, unnamed.Issues)
	}
}

const normalizeCodePrecisionLost = "precision_lost"

func TestDumpAppointments(t *testing.T) {
	p := writeFile(t, t.TempDir(), "citas.csv", []byte(
		"id,calendar_id,vet_id,owner_id,pet_id,user_id,type,subtype,summary,description,start,end,assistance,comments\n"+
			"1,1,2,17,5,2,vaccine,,Vacuna anual,detalle,2024-05-02 14:30:00,2024-05-02 15:00:00,attend,ok\n"+
			"2,1,2,17,5,2,consult,,Control,,2024-05-03,,nonsense,\n"))
	res, err := readAll(t, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := res.records[0], res.records[1]
	for f, want := range map[string]string{"fecha": "2024-05-02", "hora": "14:30:00", "duracion": "30", "estado": "completed", "notas": "ok", "motivo": "Vacuna anual"} {
		if got := a.Values[f].Text; got != want {
			t.Errorf("%s = %q, want %q", f, got, want)
		}
	}
	if b.Values["hora"].Valid || b.Values["duracion"].Valid || !hasIssue(b.Issues, IssueUnknownStatus) {
		t.Errorf("second appointment %+v %+v", b.Values, b.Issues)
	}
	shadowed := false
	for _, c := range res.info.Columns {
		shadowed = shadowed || c.Header == "description" && c.Note == NoteShadowed
	}
	if !shadowed {
		t.Errorf("description should be shadowed by comments: %+v", res.info.Columns)
	}
}

func TestXLSXRowNumbersAndExtraCells(t *testing.T) {
	s := sheet{name: "clientes", rows: [][]any{
		{"id", "nombre", "email"},
		{1, "Ana", "ana@x.co"},
		nil,
		nil,
		{2, "Luis", "mailto:luis@x.co?subject=hola"},
		{3, "Eva", "eva@x.co", "", "stray"},
	}}
	p := writeFile(t, t.TempDir(), "clientes.xlsx", xlsxBytes(t, s))
	res, err := readAll(t, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.records) != 3 || res.records[0].Line != 2 || res.records[1].Line != 5 || res.records[2].Line != 6 {
		t.Fatalf("records %+v", res.records)
	}
	if res.records[1].Values["email"].Text != "luis@x.co" {
		t.Errorf("mailto: %q", res.records[1].Values["email"].Text)
	}
	if len(res.rowErrs) != 1 || res.rowErrs[0].Line != 6 || res.rowErrs[0].Column != 5 {
		t.Errorf("row errors %v", res.rowErrs)
	}
}

// TestXLSXDate1904 reads the same dates from a workbook in each date
// system. A 1904 workbook stores serials 1,462 days smaller: read in the
// 1900 system they would land four years and a day early.
func TestXLSXDate1904(t *testing.T) {
	registered := time.Date(2021, 3, 4, 10, 0, 0, 0, time.UTC)
	consent := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	for _, date1904 := range []bool{false, true} {
		owners := sheet{name: "owners", date1904: date1904, dateCols: []int{3, 4}, rows: [][]any{
			{"id", "name", "habeas_at", "created_at", "mobile", "email"},
			{17, "Juan Pérez", consent, registered, "+573001234567", "juan@x.co"},
			{18, "Ana Gómez", 1, registered, "+573001234568", "ana@x.co"},
		}}
		p := writeFile(t, t.TempDir(), "propietarios.xlsx", xlsxBytes(t, owners))
		res, err := readAll(t, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.records) != 2 {
			t.Fatalf("1904=%v: %d records", date1904, len(res.records))
		}
		juan, ana := res.records[0].Values, res.records[1].Values
		if juan["fecha_registro"].Text != "2021-03-04T10:00:00-05:00" || ana["fecha_registro"].Text != "2021-03-04T10:00:00-05:00" {
			t.Errorf("1904=%v: registered %q and %q, want 2021-03-04T10:00:00-05:00", date1904, juan["fecha_registro"].Text, ana["fecha_registro"].Text)
		}
		if c := juan["autorizacion_datos"]; c.Text != "true" || !c.Time.Equal(time.Date(2020, 1, 2, 0, 0, 0, 0, normalize.Bogota())) {
			t.Errorf("1904=%v: consent %+v, want true on 2020-01-02", date1904, c)
		}
		if c := ana["autorizacion_datos"]; c.Text != "true" || !c.Time.IsZero() {
			t.Errorf("1904=%v: consent given as 1 = %+v, want true without a date", date1904, c)
		}
		if got := hasIssue(res.info.Issues, IssueDate1904); got != date1904 {
			t.Errorf("1904=%v: date_1904 note = %v, issues %+v", date1904, got, res.info.Issues)
		}
	}
}

// TestMascotasDate1904 reads the Mascotas report saved in the 1904 date
// system: every record, derived pet ids (built from the birth date)
// included, equals the 1900 workbook's.
func TestMascotasDate1904(t *testing.T) {
	read := func(s sheet) []Record {
		t.Helper()
		res, err := readAll(t, writeFile(t, t.TempDir(), "Mascotas.xlsx", xlsxBytes(t, s)), Options{Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		return res.records
	}
	old := mascotasSheet()
	old.date1904 = true
	want, got := read(mascotasSheet()), read(old)
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("%d records from the 1904 workbook, %d from the 1900 one", len(got), len(want))
	}
	for i := range want {
		if got[i].SourceID != want[i].SourceID || !reflect.DeepEqual(got[i].Values, want[i].Values) {
			t.Errorf("record %d: 1904 %s %+v, 1900 %s %+v", i, got[i].SourceID, got[i].Values, want[i].SourceID, want[i].Values)
		}
	}
}
