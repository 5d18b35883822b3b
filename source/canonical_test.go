package source

import (
	"strings"
	"testing"
	"time"
)

func TestNormalizeKinds(t *testing.T) {
	tests := []struct {
		kind      Kind
		raw       string
		text      string // want Value.Text
		valid     bool
		issue     string // want issue type ("" = none)
		severity  string
		required  bool
		past      bool
		typeExtra map[string]string // other raw fields of the row
	}{
		{kind: KindID, raw: " 17 ", text: "17", valid: true},
		{kind: KindID, raw: "", issue: IssueMissingID, severity: SevCritical},
		{kind: KindID, raw: "-", issue: IssueMissingID, severity: SevCritical},
		{kind: KindRef, raw: "", required: true, issue: IssueMissingRef, severity: SevCritical},
		{kind: KindRef, raw: ""},
		{kind: KindID, raw: "C\u200b17", text: "C17", valid: true, issue: IssueInvisibleChars, severity: SevInfo},
		{kind: KindRef, raw: "\ufeffP1\u2060", text: "P1", valid: true, issue: IssueInvisibleChars, severity: SevInfo},
		{kind: KindRef, raw: "own:cc:1", text: "own:cc:1", valid: true},
		{kind: KindID, raw: strings.Repeat("7", 100), text: strings.Repeat("7", 100), valid: true},
		{kind: KindID, raw: strings.Repeat("7", 101), text: strings.Repeat("7", 100), valid: true, issue: IssueIDTooLong, severity: SevCritical},
		{kind: KindRef, raw: " " + strings.Repeat("é", 150), text: strings.Repeat("é", 100), valid: true, issue: IssueIDTooLong, severity: SevCritical},
		{kind: KindText, raw: "  hola\r\n mundo ", text: "hola\nmundo", valid: true},
		{kind: KindText, raw: "N/A", issue: IssuePlaceholder, severity: SevInfo},
		{kind: KindText, raw: "...", issue: IssuePlaceholder, severity: SevInfo},
		{kind: KindText, raw: "\u00a0 \u202a"},
		{kind: KindPath, raw: "adjuntos/rx 1.pdf", text: "adjuntos/rx 1.pdf", valid: true},
		{kind: KindName, raw: "  JUAN   PÉREZ ", text: "JUAN PÉREZ", valid: true},
		{kind: KindEmail, raw: "Juan@X.co", text: "juan@x.co", valid: true},
		{kind: KindEmail, raw: "MAILTO:juan@x.co?subject=Hola", text: "juan@x.co", valid: true},
		{kind: KindEmail, raw: "juan@@x", issue: "invalid_email", severity: SevWarning},
		{kind: KindEmail, raw: "juan@" + strings.Repeat(strings.Repeat("x", 60)+".", 4) + "co", text: "juan@" + strings.Repeat(strings.Repeat("x", 60)+".", 4) + "co", valid: true},
		{kind: KindEmail, raw: "juan@" + strings.Repeat(strings.Repeat("x", 60)+".", 5) + "co", issue: "invalid_email", severity: SevWarning},
		{kind: KindPhone, raw: "\u202a+57 300 123 4567\u202c", text: "+573001234567", valid: true},
		{kind: KindPhone, raw: "12", issue: "invalid_phone", severity: SevWarning},
		{kind: KindDate, raw: "03/04/2021", text: "2021-04-03", valid: true},
		{kind: KindDate, raw: "44927", text: "2023-01-01", valid: true},
		{kind: KindDate, raw: "2023-05-02 14:30:00", text: "2023-05-02", valid: true},
		{kind: KindDate, raw: "31/02/2021", issue: "invalid_date", severity: SevWarning},
		{kind: KindDate, raw: "2030-01-01", text: "2030-01-01", valid: true, past: true, issue: IssueFutureDate, severity: SevWarning},
		{kind: KindDate, raw: "2030-01-01", text: "2030-01-01", valid: true},
		{kind: KindDateTime, raw: "2023-05-02 14:30", text: "2023-05-02T14:30:00-05:00", valid: true},
		{kind: KindDateTime, raw: "2023-05-02T19:30:00Z", text: "2023-05-02T14:30:00-05:00", valid: true},
		{kind: KindDateTime, raw: "2027-01-01 00:00", text: "2027-01-01T00:00:00-05:00", valid: true, past: true, issue: IssueFutureDate, severity: SevWarning},
		{kind: KindDateTime, raw: "ayer", issue: "invalid_date", severity: SevWarning},
		{kind: KindTime, raw: "2:30 PM", text: "14:30:00", valid: true},
		{kind: KindTime, raw: "0.5", text: "12:00:00", valid: true},
		{kind: KindTime, raw: "25:00", issue: "invalid_time", severity: SevWarning},
		{kind: KindInt, raw: "1.234", text: "1234", valid: true},
		{kind: KindInt, raw: "doce", issue: "invalid_number", severity: SevWarning},
		{kind: KindMoney, raw: "$132.999", text: "132999.00", valid: true},
		{kind: KindMoney, raw: "COP 4.320.000", text: "4320000.00", valid: true},
		{kind: KindMoney, raw: "mucho", issue: "invalid_money", severity: SevWarning},
		{kind: KindDecimal, raw: "1,5", text: "1.5", valid: true},
		{kind: KindDecimal, raw: "1.23456", issue: "invalid_number", severity: SevWarning},
		{kind: KindWeight, raw: "12.5 Kilogramos", text: "12.5", valid: true},
		{kind: KindWeight, raw: "0", issue: IssueUnknownWeight, severity: SevInfo},
		{kind: KindWeight, raw: "pesado", issue: "invalid_weight", severity: SevWarning},
		{kind: KindWeight, raw: "1500", text: "1.5", valid: true, typeExtra: map[string]string{"unidad_peso": "g"}},
		{kind: KindBool, raw: "Sí", text: "true", valid: true},
		{kind: KindBool, raw: "No esterilizado", text: "false", valid: true},
		{kind: KindBool, raw: "2023-06-01", text: "true", valid: true},
		{kind: KindBool, raw: "45078", text: "true", valid: true},
		{kind: KindBool, raw: "2", issue: "invalid_boolean", severity: SevWarning},
		{kind: KindBool, raw: "unknow", issue: IssueUnknownBoolean, severity: SevInfo},
		{kind: KindSpecies, raw: "Canino", text: "dog", valid: true},
		{kind: KindSpecies, raw: "Dinosaurio", text: "other", valid: true, issue: IssueUnknownSpecies, severity: SevWarning},
		{kind: KindSex, raw: "Hembra", text: "female", valid: true},
		{kind: KindSex, raw: "3", issue: IssueUnknownSexCode, severity: SevWarning},
		{kind: KindSex, raw: "quizás", issue: IssueUnknownSex, severity: SevWarning},
		{kind: KindMicrochip, raw: "985 141 000 123 456", text: "985141000123456", valid: true},
		{kind: KindMicrochip, raw: "9,85141E+14", issue: "precision_lost", severity: SevWarning},
		{kind: KindDocType, raw: "Cédula de ciudadanía", text: "cc", valid: true},
		{kind: KindDocument, raw: "1.020.304.050", text: "1020304050", valid: true, typeExtra: map[string]string{"t": "CC"}},
		{kind: KindDocument, raw: "900.123.456-0", text: "900123456-0", valid: true, issue: "nit_check_digit", severity: SevWarning, typeExtra: map[string]string{"t": "NIT"}},
		{kind: KindDocument, raw: "12", issue: "invalid_document", severity: SevWarning, typeExtra: map[string]string{"t": "CC"}},
		{kind: KindStatus, raw: "unattend", text: "no_show", valid: true},
		{kind: KindStatus, raw: "perdida", issue: IssueUnknownStatus, severity: SevWarning},
		{kind: Kind("future-kind"), raw: " x ", text: "x", valid: true},
	}
	for _, tt := range tests {
		name := string(tt.kind) + "/" + tt.raw
		t.Run(name, func(t *testing.T) {
			typ := Type{Name: "x", Fields: []Field{
				{Name: "f", Kind: tt.kind, Required: tt.required, Ref: "client", Past: tt.past},
				{Name: "t", Kind: KindDocType},
				{Name: "unidad_peso", Kind: KindText},
			}}
			raw := map[string]string{"f": tt.raw}
			for k, v := range tt.typeExtra {
				raw[k] = v
			}
			vals, issues := Normalize(typ, raw, nil, fixedNow())
			v := vals["f"]
			if v.Text != tt.text || v.Valid != tt.valid {
				t.Errorf("value %+v, want text %q valid %v", v, tt.text, tt.valid)
			}
			var got []Issue
			for _, i := range issues {
				if i.Field == "f" {
					got = append(got, i)
				}
			}
			switch {
			case tt.issue == "" && len(got) > 0:
				t.Errorf("unexpected issues %+v", got)
			case tt.issue != "" && (len(got) != 1 || got[0].Type != tt.issue || got[0].Severity != tt.severity):
				t.Errorf("issues %+v, want one %s %s", got, tt.severity, tt.issue)
			case len(got) == 1 && (got[0].Message == "" || got[0].Message != strings.ToLower(got[0].Message[:1])+got[0].Message[1:]):
				t.Errorf("message %q should be lowercase", got[0].Message)
			}
		})
	}
}

func TestNormalizeWithoutNowSkipsFutureCheck(t *testing.T) {
	pets, _ := TypeByName("pets")
	_, issues := Normalize(pets, map[string]string{"id": "1", "id_cliente": "2", "fecha_nacimiento": "2999-01-01"}, nil, fixedNow().AddDate(-1000, 0, 0))
	if hasIssue(issues, "invalid_date") == false && !hasIssue(issues, IssueFutureDate) {
		t.Fatalf("expected a date issue, got %+v", issues)
	}
	_, issues = Normalize(pets, map[string]string{"id": "1", "id_cliente": "2", "fecha_nacimiento": "2090-01-01"}, nil, time.Time{})
	if hasIssue(issues, IssueFutureDate) {
		t.Errorf("future check ran without a clock: %+v", issues)
	}
}

func TestNormalizeVocabulary(t *testing.T) {
	m := &Mapping{Vocabulary: Vocabulary{
		Species: map[string]string{"Pescadito": "pez", "Caballito": "nonsense"},
		Sex:     map[string]string{"1": "male"},
		Status:  map[string]string{"Reprogramada": "cancelled"},
	}}
	pets, _ := TypeByName("pets")
	vals, issues := Normalize(pets, map[string]string{"especie": "pescadito", "sexo": "1"}, m, time.Time{})
	if vals["especie"].Text != "fish" || vals["sexo"].Text != "male" || len(issues) != 0 {
		t.Errorf("vals %+v issues %+v", vals, issues)
	}
	vals, issues = Normalize(pets, map[string]string{"especie": "Caballito"}, m, time.Time{})
	if vals["especie"].Text != "other" || !hasIssue(issues, IssueUnknownSpecies) {
		t.Errorf("invalid vocabulary value: %+v %+v", vals, issues)
	}
	appts, _ := TypeByName("appointments")
	vals, _ = Normalize(appts, map[string]string{"estado": "REPROGRAMADA"}, m, time.Time{})
	if vals["estado"].Text != "cancelled" {
		t.Errorf("status %+v", vals["estado"])
	}
	// especie "other" with an unknown specie_other keeps other and flags it.
	vals, issues = Normalize(pets, map[string]string{"especie": "other", "especie_otra": "Axolote"}, nil, time.Time{})
	if vals["especie"].Text != "other" || !hasIssue(issues, IssueUnknownSpecies) || issues[0].Value != "Axolote" {
		t.Errorf("specie_other %+v %+v", vals, issues)
	}
}

func TestIssueValueClipped(t *testing.T) {
	typ := Type{Name: "x", Fields: []Field{{Name: "f", Kind: KindEmail}}}
	_, issues := Normalize(typ, map[string]string{"f": strings.Repeat("ñ", 1<<20)}, nil, time.Time{})
	if len(issues) != 1 || len([]rune(issues[0].Value)) > 201 {
		t.Fatalf("issue value not clipped: %d runes", len([]rune(issues[0].Value)))
	}
}
