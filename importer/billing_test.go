package importer_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/pgtest"
)

const productsCSV = `id,codigo,nombre,categoria,tipo,precio,costo,stock,unidad,activo
PR1,SKU-1,Vacuna Rabia,Biológicos,Producto,$ 45.000,"30.000,50",12,dosis,Sí
PR2,sku-1 ,Vacuna Rabia (repetida),Biológicos,Producto,45000,30000,3,dosis,Sí
PR3,SKU-2,Consulta general,Servicios,Servicio,COP 60.000,,,,No
PR4,,Sin código,Varios,Producto,1000,,,,
`

const appointmentsCSV = `id,id_paciente,id_cliente,fecha,hora,duracion,motivo,estado,id_veterinario,notas
A1,P1,C1,2024-03-01,14:30,30,Control,atendida,V7,
A2,P2,C2,02/03/2024,9:00,20,Vacuna,programada,V7,
A3,P3,C1,2024-03-03,10:00,15,Huérfana,cancelada,,
A4,P1,C1,2024-03-04,11:00,15,Raro,reprogramada,,
A5,P1,C1,31/02/2024,11:00,15,Fecha mala,programada,,
`

const invoicesCSV = `id,numero,id_cliente,fecha,subtotal,descuento,impuesto,total,estado,forma_pago,notas
F1,FV-1,C1,2024-03-01,$ 100.000,0,19.000,$ 119.000,pagada,efectivo,
F2,FV-2,C6,2024-03-02,50000,5000,0,46000,pagada,tarjeta,
F3,FV-3,C404,2024-03-03,1000,0,0,1000,pagada,efectivo,
F4,FV-4,C3,2024-03-04,1000,0,0,1000,pagada,efectivo,
`

const itemsCSV = `id,id_factura,id_producto,descripcion,cantidad,precio_unitario,descuento,impuesto,total
FI1,F1,PR1,Vacuna Rabia,2,"45.000",0,0,90000
FI2,F1,PR9,Producto retirado,1,10000,0,0,10000
FI3,F2,PR2,Vacuna,1,45000,0,0,45000
FI4,F3,PR1,Huérfano,1,1000,0,0,1000
FI5,F99,,Factura inexistente,1,1,0,0,1
`

func TestProductsAppointmentsInvoicesItems(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	importClientsAndPets(t, db.Pool, dir, nil)
	im := newImporter(t, db.Pool, nil)
	ctx := context.Background()

	prod := mustImport(t, im, "products", writeFile(t, dir, "productos.csv", productsCSV))
	if prod.Imported != 3 || prod.Merged != 1 {
		t.Fatalf("products %+v", prod)
	}
	if target(t, db.Pool, "product", "PR2") != target(t, db.Pool, "product", "PR1") {
		t.Error("product with the same SKU not merged into the first")
	}
	var price, cost string
	var active bool
	db.Pool.QueryRow(ctx, "SELECT price::text, cost::text, is_active FROM inventory_product WHERE id=$1",
		target(t, db.Pool, "product", "PR1")).Scan(&price, &cost, &active)
	if price != "45000.00" || cost != "30000.50" || !active {
		t.Errorf("PR1 stored price %s cost %s active %v", price, cost, active)
	}

	app := mustImport(t, im, "appointments", writeFile(t, dir, "citas.csv", appointmentsCSV))
	if app.Imported != 3 || app.Orphaned != 1 || app.Rejected != 1 {
		t.Fatalf("appointments %+v", app)
	}
	var starts time.Time
	var status, statusRaw string
	var owner int64
	db.Pool.QueryRow(ctx, "SELECT starts_at, status, owner_id FROM appointments_appointment WHERE id=$1",
		target(t, db.Pool, "appointment", "A1")).Scan(&starts, &status, &owner)
	if !starts.Equal(time.Date(2024, 3, 1, 19, 30, 0, 0, time.UTC)) || status != "completed" {
		t.Errorf("A1 starts %v status %s", starts.UTC(), status)
	}
	// A2's client C2 is not the owner of P2 (whose owner is C1, via the merged C6).
	db.Pool.QueryRow(ctx, "SELECT owner_id FROM appointments_appointment WHERE id=$1", target(t, db.Pool, "appointment", "A2")).Scan(&owner)
	if owner != target(t, db.Pool, "client", "C1") || !hasIssue(t, db.Pool, "appointment", "A2", "chain_mismatch") {
		t.Errorf("A2 owner %d, want the pet's owner and a chain_mismatch warning", owner)
	}
	db.Pool.QueryRow(ctx, `SELECT a.status, r.source_data->>'estado' FROM appointments_appointment a
		JOIN migration_migrationrecord r ON r.target_model = 'appointments_appointment' AND r.target_id = a.id WHERE a.id=$1`,
		target(t, db.Pool, "appointment", "A4")).Scan(&status, &statusRaw)
	if status != "reprogramada" || !hasIssue(t, db.Pool, "appointment", "A4", "unknown_status") {
		t.Errorf("A4 status %q raw %q", status, statusRaw)
	}

	inv := mustImport(t, im, "invoices", writeFile(t, dir, "facturas.csv", invoicesCSV))
	if inv.Imported != 2 || inv.Orphaned != 2 {
		t.Fatalf("invoices %+v", inv)
	}
	if !hasIssue(t, db.Pool, "invoice", "F2", "total_mismatch") || hasIssue(t, db.Pool, "invoice", "F1", "total_mismatch") {
		t.Error("total_mismatch warning wrong: want it on F2 (50000-5000+0 != 46000) only")
	}
	var total string
	db.Pool.QueryRow(ctx, "SELECT total::text FROM billing_invoice WHERE id=$1", target(t, db.Pool, "invoice", "F2")).Scan(&total)
	if total != "46000.00" {
		t.Errorf("F2 total %s: amounts must be kept as in the source", total)
	}

	items := mustImport(t, im, "invoice_items", writeFile(t, dir, "factura_items.csv", itemsCSV))
	if items.Imported != 3 || items.Orphaned != 2 {
		t.Fatalf("items %+v", items)
	}
	var product *int64
	db.Pool.QueryRow(ctx, "SELECT product_id FROM billing_invoiceitem WHERE id=$1", target(t, db.Pool, "invoice_item", "FI2")).Scan(&product)
	if product != nil || !hasIssue(t, db.Pool, "invoice_item", "FI2", "unknown_product") {
		t.Errorf("FI2 product %v, want none with an unknown_product info", product)
	}
	// F1's items add up to its subtotal; F2's (45000) do not (50000).
	if !hasIssue(t, db.Pool, "invoice", "F2", "items_total_mismatch") || hasIssue(t, db.Pool, "invoice", "F1", "items_total_mismatch") {
		t.Error("items_total_mismatch wrong: want it on F2 only")
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestDocuments(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	importClientsAndPets(t, db.Pool, dir, nil)
	media := t.TempDir()
	im := newImporter(t, db.Pool, func(o *importer.Options) { o.MediaDir = media })
	xray := []byte("%PDF-1.4 radiografía de Luna")
	writeFile(t, dir, "adjuntos/rx.pdf", string(xray))
	writeFile(t, dir, "adjuntos/copia.pdf", string(xray))
	writeFile(t, filepath.Dir(dir), "secreto.txt", "no")
	docs := `id,id_paciente,id_cliente,archivo,tipo,descripcion,fecha
D1,P1,C1,adjuntos/rx.pdf,Radiografía,Tórax,2024-01-10
D2,P1,C1,adjuntos\copia.pdf,Radiografía,Copia,2024-01-10
D3,P1,C1,adjuntos/no-existe.pdf,Foto,,2024-01-10
D4,P1,C1,../secreto.txt,Foto,,2024-01-10
D5,P1,C1,/etc/passwd,Foto,,2024-01-10
D6,P3,C1,adjuntos/rx.pdf,Foto,Huérfano,2024-01-10
D7,P3,C1,adjuntos/tampoco.pdf,Foto,Rechazo antes que huérfano,2024-01-10
`
	sum := mustImport(t, im, "documents", writeFile(t, dir, "documentos.csv", docs))
	if sum.Imported != 2 || sum.Rejected != 4 || sum.Orphaned != 1 {
		t.Fatalf("documents %+v", sum)
	}
	for id, reason := range map[string]string{"D3": "missing_file", "D4": "path_escape", "D5": "path_escape", "D7": "missing_file"} {
		if s, r := outcomeOf(t, db.Pool, "document", id); s != "error" || r != reason {
			t.Errorf("%s = %s/%s, want error/%s", id, s, r, reason)
		}
	}
	var file, hash string
	var size int64
	db.Pool.QueryRow(context.Background(), "SELECT file, sha256, size_bytes FROM documents_document WHERE id=$1",
		target(t, db.Pool, "document", "D1")).Scan(&file, &hash, &size)
	if hash != sha(xray) || size != int64(len(xray)) {
		t.Errorf("D1 hash %s size %d", hash, size)
	}
	stored, err := os.ReadFile(filepath.Join(media, file))
	if err != nil || sha(stored) != hash {
		t.Fatalf("media store copy: %v", err)
	}
	// Same content is stored once.
	var files int
	filepath.WalkDir(media, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != media && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir // the store's own bookkeeping (reference lists)
		}
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			files++
		}
		return nil
	})
	if files != 1 {
		t.Errorf("%d files in the media store, want 1 (content-addressed)", files)
	}
}
