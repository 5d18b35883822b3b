package audit

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/petfriendly/recon/source"
)

// errCode is the refusal code of err, "" for nil, "error" for any other.
func errCode(err error) string {
	var re *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &re):
		return re.Code
	}
	return "error"
}

func mustField(t *testing.T, typ, name string) (source.Type, source.Field) {
	t.Helper()
	st, ok := source.TypeByName(typ)
	if !ok {
		t.Fatalf("no type %s", typ)
	}
	f, ok := st.Field(name)
	if !ok {
		t.Fatalf("no field %s.%s", typ, name)
	}
	return st, f
}

// A request is checked before anything is read: type, changes, reason,
// who, when, and each field correctable and given once (by name or column).
func TestCheckRequest(t *testing.T) {
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	ok := CorrectRequest{Type: "pets", SourceID: " P1 ", Changes: []Change{{Field: "nombre", Value: "Luna"}, {Field: "color", Value: "Negro"}},
		Reason: " la dueña confirma ", By: " ana ", At: at}
	with := func(edit func(*CorrectRequest)) CorrectRequest {
		r := ok
		r.Changes = append([]Change(nil), ok.Changes...)
		edit(&r)
		return r
	}
	tests := []struct {
		name       string
		req        CorrectRequest
		wantFields []string
		wantErr    string
	}{
		{"valid", ok, []string{"nombre", "color"}, ""},
		{"column name", with(func(r *CorrectRequest) { r.Changes = []Change{{Field: "microchip_number", Value: "1"}} }), []string{"microchip"}, ""},
		{"unknown type", with(func(r *CorrectRequest) { r.Type = "horses" }), nil, CodeUnknownType},
		{"no changes", with(func(r *CorrectRequest) { r.Changes = nil }), nil, CodeNoChanges},
		{"blank reason", with(func(r *CorrectRequest) { r.Reason = "  " }), nil, CodeEmptyReason},
		{"blank by", with(func(r *CorrectRequest) { r.By = "" }), nil, CodeEmptyBy},
		{"no time", with(func(r *CorrectRequest) { r.At = time.Time{} }), nil, "error"},
		{"unknown field", with(func(r *CorrectRequest) { r.Changes[1].Field = "colour" }), nil, CodeUnknownField},
		{"reference", with(func(r *CorrectRequest) { r.Changes[1].Field = "id_cliente" }), nil, CodeNotCorrectable},
		{"twice", with(func(r *CorrectRequest) { r.Changes[1].Field = "name" }), nil, CodeDuplicateField},
	}
	for _, tt := range tests {
		req, typ, fields, err := checkRequest(tt.req)
		if got := errCode(err); got != tt.wantErr {
			t.Errorf("%s: err = %v, want code %q", tt.name, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		var names []string
		for _, f := range fields {
			names = append(names, f.Name)
		}
		if typ.Name != "pets" || !reflect.DeepEqual(names, tt.wantFields) {
			t.Errorf("%s: type %s, fields %v; want pets, %v", tt.name, typ.Name, names, tt.wantFields)
		}
		if req.SourceID != "P1" || req.Reason != "la dueña confirma" || req.By != "ana" {
			t.Errorf("%s: not trimmed: %q %q %q", tt.name, req.SourceID, req.Reason, req.By)
		}
	}
}

// Names, e-mails, yes/no and the vocabularies cannot be emptied; other
// fields can.
func TestRefuseEmpty(t *testing.T) {
	tests := []struct {
		typ, field string
		v          source.Value
		wantErr    string
	}{
		{"pets", "nombre", source.Value{}, CodeEmptyValue},
		{"clients", "email", source.Value{}, CodeEmptyValue},
		{"pets", "esterilizado", source.Value{}, CodeEmptyValue},
		{"pets", "especie", source.Value{}, CodeEmptyValue},
		{"pets", "sexo", source.Value{}, CodeEmptyValue},
		{"pets", "color", source.Value{}, ""},
		{"pets", "peso", source.Value{}, ""},
		{"pets", "nombre", source.Value{Text: "Luna", Valid: true}, ""},
	}
	for _, tt := range tests {
		_, f := mustField(t, tt.typ, tt.field)
		if got := errCode(refuseEmpty(f, tt.v)); got != tt.wantErr {
			t.Errorf("refuseEmpty(%s.%s, %+v) = %q, want %q", tt.typ, tt.field, tt.v, got, tt.wantErr)
		}
	}
}

// What one corrected field writes: where, the value (emptied as the column
// allows), and the columns that follow it.
func TestPlanWrite(t *testing.T) {
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	consented := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	text := column{sqlType: "character varying(120)", notNull: true, text: true}
	number := column{sqlType: "numeric(6,2)"}
	boolean := column{sqlType: "boolean", notNull: true}
	valid := func(s string) source.Value { return source.Value{Text: s, Valid: true} }
	tests := []struct {
		name, typ, field string
		v                source.Value
		col              column
		want             fieldWrite
		wantErr          string
	}{
		{"owner's e-mail", "clients", "email", valid("ana@example.com"), column{},
			fieldWrite{kind: writeEmail, table: "accounts_user", column: "email", value: "ana@example.com"}, ""},
		{"appointment's date", "appointments", "fecha", valid("2024-03-07"), column{},
			fieldWrite{kind: writeDate, table: "appointments_appointment", column: "starts_at", value: "2024-03-07"}, ""},
		{"appointment's time", "appointments", "hora", valid("10:30:00"), column{},
			fieldWrite{kind: writeTime, table: "appointments_appointment", column: "starts_at", value: "10:30:00"}, ""},
		{"time emptied", "appointments", "hora", source.Value{}, column{}, fieldWrite{}, CodeEmptyValue},
		{"owner's name", "clients", "nombre", valid("Ana María Ruiz"), text,
			fieldWrite{kind: writeColumn, table: "vet_clinic_ownerprofile", column: "full_name", sqlType: text.sqlType, value: "Ana María Ruiz",
				splitName: true, first: "Ana", last: "María Ruiz", touch: true, at: at}, ""},
		{"consent given", "clients", "autorizacion_datos", source.Value{Text: "true", Valid: true, Bool: true, Time: consented}, boolean,
			fieldWrite{kind: writeColumn, table: "vet_clinic_ownerprofile", column: "data_consent", sqlType: "boolean", value: "true",
				consent: true, consentAt: consented, touch: true, at: at}, ""},
		{"consent withdrawn", "clients", "autorizacion_datos", source.Value{Text: "false", Valid: true}, boolean,
			fieldWrite{kind: writeColumn, table: "vet_clinic_ownerprofile", column: "data_consent", sqlType: "boolean", value: "false",
				consent: true, touch: true, at: at}, ""},
		{"text emptied", "pets", "color", source.Value{}, text,
			fieldWrite{kind: writeColumn, table: "pets_pet", column: "color", sqlType: text.sqlType, value: "", touch: true, at: at}, ""},
		{"nullable emptied", "pets", "peso", source.Value{}, number,
			fieldWrite{kind: writeColumn, table: "pets_pet", column: "weight", sqlType: number.sqlType, value: nil, touch: true, at: at}, ""},
		{"not null emptied", "pets", "fecha_nacimiento", source.Value{}, column{sqlType: "date", notNull: true}, fieldWrite{}, CodeEmptyValue},
		{"no updated_at", "medical", "diagnostico", valid("Sano"), text,
			fieldWrite{kind: writeColumn, table: "medical_medicalrecord", column: "diagnosis", sqlType: text.sqlType, value: "Sano"}, ""},
	}
	for _, tt := range tests {
		typ, f := mustField(t, tt.typ, tt.field)
		got, err := planWrite(typ, f, tt.v, tt.col, at)
		if code := errCode(err); code != tt.wantErr {
			t.Errorf("%s: err = %v, want code %q", tt.name, err, tt.wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// An address another owner has is refused naming the owner; one a staff
// account has, naming its role.
func TestEmailHolderRefusal(t *testing.T) {
	tests := []struct {
		h          emailHolder
		wantCode   string
		wantDetail string
	}{
		{emailHolder{id: "C2", owner: true, role: "owner"}, CodeEmailTaken, "C2"},
		{emailHolder{id: "#7", owner: true, role: "owner"}, CodeEmailTaken, "#7"},
		{emailHolder{id: "#3", role: "vet"}, CodeEmailTakenByUser, "vet"},
	}
	for _, tt := range tests {
		var re *Error
		err := tt.h.refusal("email", "ana@example.com")
		if !errors.As(err, &re) || re.Code != tt.wantCode || re.Detail != tt.wantDetail || re.Value != "ana@example.com" || re.Field != "email" {
			t.Errorf("refusal of %+v = %#v, want %s with %q", tt.h, err, tt.wantCode, tt.wantDetail)
		}
	}
}
