package audit_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/i18n"
)

// withBilling is the verify fixture plus appointments, products, invoices
// and invoice items, imported.
func withBilling(t *testing.T) fixture {
	t.Helper()
	f := imported(t)
	files := map[string]string{
		"citas.csv": "id,id_paciente,id_cliente,fecha,hora,duracion,motivo,estado,id_veterinario,notas\n" +
			"A1,P1,C1,2024-03-05,09:30,30,Control,Programada,V7,\n" +
			"A2,P2,C4,2024-03-06,16:00,15,Vacuna,Atendida,V8,\n",
		"productos.csv": "id,codigo,nombre,categoria,tipo,precio,costo,stock,unidad,activo\n" +
			"PR1,SKU-1,Vacuna rabia,Vacunas,Producto,45000,20000,10,unidad,Sí\n",
		"facturas.csv": "id,numero,id_cliente,fecha,subtotal,descuento,impuesto,total,estado,forma_pago,notas\n" +
			"F1,FV-001,C1,2024-03-05,45000,0,0,45000,Pagada,Efectivo,\n",
		"factura_items.csv": "id,id_factura,id_producto,descripcion,cantidad,precio_unitario,descuento,impuesto,total\n" +
			"I1,F1,PR1,Vacuna rabia,1,45000,0,0,45000\n",
	}
	dir := filepath.Join(t.TempDir(), "billing")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	im, err := importer.New(f.pool, importer.Options{MediaDir: f.media, Now: func() time.Time { return testNow }, Operator: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.ImportDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return f
}

// startsAt reads an appointment's start in Bogotá time.
func startsAt(t *testing.T, f fixture, id string) string {
	t.Helper()
	var s string
	if err := f.pool.QueryRow(context.Background(), `SELECT to_char(a.starts_at AT TIME ZONE 'America/Bogota', 'YYYY-MM-DD HH24:MI')
		FROM appointments_appointment a JOIN migration_externalidmapping m ON m.target_id = a.id
		WHERE m.source_type = 'appointment' AND m.source_id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCorrectAppointmentTime checks that a correction of an appointment's
// date or time replaces that part of starts_at and keeps the other.
func TestCorrectAppointmentTime(t *testing.T) {
	f := withBilling(t)
	ctx := context.Background()
	if got := startsAt(t, f, "A1"); got != "2024-03-05 09:30" {
		t.Fatalf("imported starts_at %s", got)
	}
	tests := []struct {
		field, value string
		want         string // starts_at afterwards
		code         string
	}{
		{"fecha", "07/03/2024", "2024-03-07 09:30", ""},
		{"hora", "2:15 pm", "2024-03-07 14:15", ""},
		{"fecha", "", "2024-03-07 14:15", audit.CodeEmptyValue},
		{"hora", "25:99", "2024-03-07 14:15", audit.CodeInvalidValue},
	}
	for _, tt := range tests {
		applied, err := audit.Correct(ctx, f.pool, req("appointment", "A1", set(tt.field, tt.value)))
		if code(err) != tt.code {
			t.Fatalf("%s = %q: err = %v, want code %q", tt.field, tt.value, err, tt.code)
		}
		if got := startsAt(t, f, "A1"); got != tt.want {
			t.Errorf("%s = %q: starts_at %s, want %s", tt.field, tt.value, got, tt.want)
		}
		if tt.code == "" && (len(applied) != 1 || applied[0].Column != "starts_at" || applied[0].Table != "appointments_appointment") {
			t.Errorf("%s = %q: applied %+v", tt.field, tt.value, applied)
		}
	}
	// The other appointment is untouched.
	if got := startsAt(t, f, "A2"); got != "2024-03-06 16:00" {
		t.Errorf("A2 starts_at %s", got)
	}
}

// TestCorrectEmptyValues checks what clearing a field writes: NULL in a
// nullable column, a refusal in a NOT NULL one.
func TestCorrectEmptyValues(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	if _, err := audit.Correct(ctx, f.pool, req("vaccine", "V1", set("fecha_proxima", ""))); err != nil {
		t.Fatalf("clearing the next dose date: %v", err)
	}
	var next *time.Time
	if err := f.pool.QueryRow(ctx, `SELECT v.next_due_date FROM medical_vaccinationrecord v JOIN migration_externalidmapping m ON m.target_id = v.id
		WHERE m.source_type = 'vaccine' AND m.source_id = 'V1'`).Scan(&next); err != nil {
		t.Fatal(err)
	}
	if next != nil {
		t.Errorf("next dose date %v after clearing it, want NULL", next)
	}
	_, err := audit.Correct(ctx, f.pool, req("vaccine", "V1", set("fecha_aplicacion", "")))
	if code(err) != audit.CodeEmptyValue {
		t.Fatalf("clearing the application date: %v, want %s", err, audit.CodeEmptyValue)
	}
	if re := err.(*audit.Error); re.Field != "fecha_aplicacion" {
		t.Errorf("refusal names field %q", re.Field)
	}
}

func TestCorrectConsent(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	consent := func() (bool, *time.Time) {
		var given bool
		var at *time.Time
		if err := f.pool.QueryRow(ctx, `SELECT p.data_consent, p.data_consent_at FROM vet_clinic_ownerprofile p
			JOIN migration_externalidmapping m ON m.target_id = p.id WHERE m.source_type = 'client' AND m.source_id = 'C2'`).Scan(&given, &at); err != nil {
			t.Fatal(err)
		}
		return given, at
	}
	if given, at := consent(); given || at != nil {
		t.Fatalf("imported consent %v at %v", given, at)
	}
	if _, err := audit.Correct(ctx, f.pool, req("client", "C2", set("autorizacion_datos", "Sí"))); err != nil {
		t.Fatal(err)
	}
	if given, _ := consent(); !given {
		t.Errorf("consent not given after the correction")
	}
	if _, err := audit.Correct(ctx, f.pool, req("client", "C2", set("autorizacion_datos", "No"))); err != nil {
		t.Fatal(err)
	}
	if given, at := consent(); given || at != nil {
		t.Errorf("consent %v at %v after withdrawing it", given, at)
	}
}

func TestCorrectRefusesIncompleteRequests(t *testing.T) {
	f := imported(t)
	noBy := req("pet", "P1", set("nombre", "x"))
	noBy.By = "  "
	_, err := audit.Correct(context.Background(), f.pool, noBy)
	if code(err) != audit.CodeEmptyBy {
		t.Fatalf("no operator: %v", err)
	}
	if msg := err.(*audit.Error).Text(i18n.EN); msg != "say who makes the change (--by)" {
		t.Errorf("message %q", msg)
	}
	noTime := req("pet", "P1", set("nombre", "x"))
	noTime.At = time.Time{}
	if _, err := audit.Correct(context.Background(), f.pool, noTime); err == nil || err.Error() != "correct: no time given" {
		t.Errorf("no time: %v", err)
	}
}

// TestShowBilling shows an invoice with its item and an appointment: the
// labels a clinic recognises them by, and the item's parent invoice.
func TestShowBilling(t *testing.T) {
	f := withBilling(t)
	ctx := context.Background()
	tests := []struct {
		typ, id, label string
	}{
		{"appointment", "A1", "2024-03-05 · 09:30"},
		{"invoice", "F1", "FV-001 · 2024-03-05"},
		{"invoice_item", "I1", "Vacuna rabia"},
	}
	for _, tt := range tests {
		root, err := audit.Show(ctx, f.pool, tt.typ, tt.id, audit.ViewOptions{})
		if err != nil {
			t.Fatalf("%s %s: %v", tt.typ, tt.id, err)
		}
		v, path := focus(root, nil)
		if v == nil || v.SourceID != tt.id {
			t.Fatalf("%s %s: no focused row in the chain", tt.typ, tt.id)
		}
		if tt.typ == "invoice_item" && strings.Join(path, " > ") != "C1 > F1 > I1" {
			t.Errorf("invoice item chain %q, want C1 > F1 > I1", path)
		}
		if !strings.HasPrefix(v.Label, tt.label) {
			t.Errorf("%s %s: label %q, want it to start with %q", tt.typ, tt.id, v.Label, tt.label)
		}
		if v.Destination == nil || !v.Destination.Exists {
			t.Errorf("%s %s: destination %+v", tt.typ, tt.id, v.Destination)
		}
	}
}

// focus finds the requested row in a chain and the source ids leading to it.
func focus(v audit.RecordView, path []string) (*audit.RecordView, []string) {
	path = append(path, v.SourceID)
	if v.Focus {
		return &v, path
	}
	for _, c := range v.Children {
		if f, p := focus(c, path); f != nil {
			return f, p
		}
	}
	return nil, nil
}
