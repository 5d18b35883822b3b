package source

import (
	"slices"

	"github.com/petfriendly/recon/internal/i18n"
)

// This file is the single description of the data types recon moves: files,
// headers, normalisers, destination tables and columns, references, merge
// keys, labels. The importer, the verifier, review and the reports read it.
// What cannot be data is code keyed by the type: the normaliser's combine
// hook below, and the importer's rules (importer.importRules, whose test
// requires one entry per type here).

// Kind names the normaliser a field's raw text goes through.
type Kind string

const (
	KindID        Kind = "id"        // external id: trimmed text, required to be non-empty
	KindRef       Kind = "ref"       // external id of another type
	KindText      Kind = "text"      // trimmed text, placeholders (".", "-", "N/A") become empty
	KindName      Kind = "name"      // person or pet name: trimmed, spaces collapsed
	KindEmail     Kind = "email"     // trimmed, lower-cased, syntax checked
	KindPhone     Kind = "phone"     // E.164
	KindDate      Kind = "date"      // calendar date, day first
	KindDateTime  Kind = "datetime"  // date with optional time, America/Bogota when naive
	KindTime      Kind = "time"      // HH:MM[:SS]
	KindInt       Kind = "int"       // whole number
	KindMoney     Kind = "money"     // exact COP decimal
	KindDecimal   Kind = "decimal"   // exact decimal (quantities)
	KindWeight    Kind = "weight"    // kilograms
	KindBool      Kind = "bool"      // Sí/No vocabulary
	KindSpecies   Kind = "species"   // canonical species enum
	KindSex       Kind = "sex"       // canonical sex enum
	KindMicrochip Kind = "microchip" // digits only
	KindDocType   Kind = "doctype"   // identity document type (cc, ce, nit, ...)
	KindDocument  Kind = "document"  // identity document number
	KindStatus    Kind = "status"    // appointment or invoice status vocabulary
	KindPath      Kind = "path"      // attachment path relative to the export folder
)

// Field is one canonical column of a type.
type Field struct {
	Name     string   // canonical (seed layout) header, e.g. "nombre"
	Aliases  []string // other headers that mean the same; matched ignoring case, accents and punctuation
	Kind     Kind
	Required bool   // structurally required: the column must exist in the file
	Ref      string // for KindRef: the SourceType referenced ("client", "pet", ...)
	Column   string // destination column in Table; empty when the field is not stored directly
	Past     bool   // a date after today is suspicious (birth, visit); checked by source.Normalize
	// Amount marks money and quantities: a value that cannot be stored
	// exactly (too large, unreadable) rejects the row, whatever the type;
	// a negative one is imported with a warning (credit notes, returns).
	Amount bool
	// Table is the destination table of Column when it is not the type's
	// (an owner's e-mail lives in accounts_user).
	Table string
	// Within is the timestamp column (Bogotá time) the field is the date
	// or time part of, by its Kind: an appointment's fecha and hora are
	// both starts_at. Column is set on the date part only, so the column
	// is listed once.
	Within string
	// ViaParent marks a reference the destination takes from the row's
	// parent instead (an appointment's owner is its pet's owner): the row's
	// own value only fills it when the parent has none, and is warned about
	// when it differs.
	ViaParent bool
	// Default is the canonical value the import rules store when the
	// source has none (an appointment without time starts at midnight).
	Default string
}

// DestColumn is a destination column no field names. The importer writes every
// column a type lists (Type.Columns) and nothing else: a column with Const
// or Now is written when the row is created and never compared or updated
// by a re-import; any other is computed by the import rules from the fields.
type DestColumn struct {
	Table string // when not the type's Table
	Name  string
	Const any  // the value every new row gets
	Now   bool // the batch's time, when the row is created
	// From is the field the import rules compute the column from (an
	// owner's first_name from nombre); a correction of the field rewrites it.
	From string
}

// Fixed reports whether the column is set once, when the row is created.
func (c DestColumn) Fixed() bool { return c.Const != nil || c.Now }

// Digits is the destination column's numeric(precision, scale) for a
// number kind; precision 0 means an integer (int4) column.
func (k Kind) Digits() (precision, scale int) {
	switch k {
	case KindMoney:
		return 14, 2
	case KindDecimal:
		return 12, 3
	case KindWeight:
		return 8, 3
	}
	return 0, 0
}

// Type is one kind of record in an OkVet export.
type Type struct {
	Name       string   // plural key used in reports and JSON: "clients", "pets", ...
	LabelES    string   // plural as clinic staff say it: "historias clínicas"
	LabelEN    string   // English plural: "medical records"
	OneES      string   // one row, within a sentence: "historia clínica"
	HeadingES  string   // one row, as a heading: "Historia clínica"
	HeadingEN  string   // English heading: "Medical record"
	Command    string   // what the operator types: recon import <Command> --file F ("records", "invoice-items")
	ImportES   string   // the help of recon import <Command>: "Importa historias clínicas."
	ImportEN   string   // English help: "Import medical records."
	SourceType string   // migration_externalidmapping.source_type: "client", "pet", ...
	BatchType  string   // migration_migrationbatch.batch_type
	Files      []string // file names (without extension) that identify the type
	Table      string   // destination table
	Fields     []Field
	DependsOn  []string // SourceTypes that must be imported first
	// Extra are the destination columns no field names: computed by the
	// import rules or fixed when a row is created. With the fields' columns
	// and id and external_id they are every column the importer writes.
	Extra []DestColumn
	// Untouched are the columns of the type's tables the importer never
	// writes: the application's own (an owner's last_login). With the rest
	// they name every column of Tables() once (TestTypeTableNamesEachColumnOnce).
	Untouched []DestColumn
	// Merge says how a new row is recognised as a duplicate of an earlier
	// one and merged into it; empty: never merged.
	Merge Merge
	// Placeholder marks the type whose table may hold the placeholder row
	// that adopts orphans referring to the type (--orphans placeholder).
	Placeholder bool
	// CountPerParent: verify compares the destination's rows under each
	// parent (the required reference) with the source's, as the check
	// PerParentCheck names (a pet's medical records).
	CountPerParent bool
	// Report is the type's place in reports and verify's result (1 first):
	// the owners' chain, billing, then the catalogue and documents.
	Report int
	// Title are the fields that, joined, name a row to a person (review).
	Title []string
	// ChainAll: when review climbs a chain to the row a record of this type
	// hangs from, every record of this type there is shown, whatever
	// branch led there (an owner's invoices), not only the branch's.
	ChainAll bool
	// combine applies the normaliser's rules that read several fields of
	// a row (a dump's end time gives an appointment's duration).
	combine func(*normalizer)
}

// Merge names how duplicates of a type are detected.
type Merge string

const (
	MergeOwner Merge = "owner" // same e-mail, E.164 phone or identity document
	MergeSKU   Merge = "sku"   // same product code, ignoring case
)

// PerParentCheck is the code of the type's per-parent count check
// ("per_pet:medical"), or "" when it has none (CountPerParent).
func (t Type) PerParentCheck() string {
	p, ok := t.Parent()
	if !t.CountPerParent || !ok {
		return ""
	}
	return "per_" + p.Ref + ":" + t.Name
}

// PathField is the field holding an attachment's path in the export
// folder (KindPath), when the type has one.
func (t Type) PathField() (Field, bool) {
	for _, f := range t.Fields {
		if f.Kind == KindPath {
			return f, true
		}
	}
	return Field{}, false
}

// Parent is the reference without which a row is an orphan and that it
// hangs from in a chain (owner → pet → records, owner → invoice → items):
// the type's required reference. Other references (an appointment's
// client, an item's product) never orphan a row.
func (t Type) Parent() (Field, bool) {
	for _, f := range t.Fields {
		if f.Kind == KindRef && f.Required {
			return f, true
		}
	}
	return Field{}, false
}

// Children lists, in import order, the types among types whose Parent
// refers to t.
func (t Type) Children(types []Type) []Type {
	var out []Type
	for _, c := range types {
		if p, ok := c.Parent(); ok && p.Ref == t.SourceType {
			out = append(out, c)
		}
	}
	return out
}

// ComputedFrom lists the Extra columns computed from the field.
func (t Type) ComputedFrom(field string) []DestColumn {
	var out []DestColumn
	for _, c := range t.Extra {
		if c.From == field {
			out = append(out, c)
		}
	}
	return out
}

// Tables lists the destination tables a row of the type writes, parents
// first (an owner's accounts_user row before its profile).
func (t Type) Tables() []string {
	var out []string
	add := func(table string) {
		if table != "" && table != t.Table && !slices.Contains(out, table) {
			out = append(out, table)
		}
	}
	for _, f := range t.Fields {
		add(f.Table)
	}
	for _, c := range t.Extra {
		add(c.Table)
	}
	return append(out, t.Table)
}

// Columns lists the columns of table (one of t.Tables()) the importer
// writes, in order: id, external_id (the type's own table), the fields'
// columns, then Extra. Fixed columns are marked.
func (t Type) Columns(table string) []DestColumn {
	cols := []DestColumn{{Table: table, Name: "id"}}
	if table == t.Table {
		cols = append(cols, DestColumn{Table: table, Name: "external_id"})
	}
	seen := map[string]bool{"id": true, "external_id": true}
	for _, f := range t.Fields {
		ft := f.Table
		if ft == "" {
			ft = t.Table
		}
		if f.Column == "" || ft != table || seen[f.Column] {
			continue
		}
		seen[f.Column] = true
		cols = append(cols, DestColumn{Table: table, Name: f.Column})
	}
	for _, c := range t.Extra {
		ct := c.Table
		if ct == "" {
			ct = t.Table
		}
		if ct != table || seen[c.Name] {
			continue
		}
		seen[c.Name] = true
		c.Table = table
		cols = append(cols, c)
	}
	return cols
}

// Field returns the field with the canonical name, or false.
func (t Type) Field(name string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Types lists every data type in import order (dependencies first).
func Types() []Type {
	return []Type{
		{
			Name: "clients", SourceType: "client", BatchType: "clients", Report: 1,
			LabelES: "clientes", LabelEN: "clients", OneES: "cliente", HeadingES: "Propietario", HeadingEN: "Owner",
			Command: "clients", ImportES: "Importa propietarios (clientes).", ImportEN: "Import owners (clients).",
			Files: []string{"clientes", "clients", "propietarios", "owners"},
			Table: "vet_clinic_ownerprofile", Merge: MergeOwner, Placeholder: true, Title: []string{"nombre"},
			Extra: []DestColumn{
				{Table: "accounts_user", Name: "first_name", From: "nombre"}, {Table: "accounts_user", Name: "last_name", From: "nombre"},
				{Table: "accounts_user", Name: "date_joined"}, {Table: "accounts_user", Name: "password", Const: "!"},
				{Table: "accounts_user", Name: "role", Const: "owner"}, {Table: "accounts_user", Name: "is_active", Const: true},
				{Table: "accounts_user", Name: "is_staff", Const: false}, {Table: "accounts_user", Name: "is_superuser", Const: false},
				{Name: "user_id"}, {Name: "data_consent_at", From: "autorizacion_datos"}, {Name: "is_placeholder", Const: false}, {Name: "updated_at", Now: true},
			},
			Untouched: []DestColumn{{Table: "accounts_user", Name: "last_login"}},
			Fields: []Field{
				{Name: "id", Kind: KindID, Required: true},
				{Name: "nombre", Aliases: []string{"name", "nombres", "nombre_completo"}, Kind: KindName, Column: "full_name"},
				{Name: "tipo_documento", Aliases: []string{"ident_type", "tident", "tipo_identificacion"}, Kind: KindDocType, Column: "document_type"},
				{Name: "documento", Aliases: []string{"number_doc", "ident", "identificacion", "cedula"}, Kind: KindDocument, Column: "document_number"},
				{Name: "telefono", Aliases: []string{"phone", "telefono_fijo"}, Kind: KindPhone, Column: "phone"},
				{Name: "celular", Aliases: []string{"mobile", "movil"}, Kind: KindPhone, Column: "mobile"},
				{Name: "email", Aliases: []string{"correo", "e_mail", "correo_electronico"}, Kind: KindEmail, Column: "email", Table: "accounts_user"},
				{Name: "direccion", Aliases: []string{"address"}, Kind: KindText, Column: "address"},
				{Name: "ciudad", Aliases: []string{"city"}, Kind: KindText, Column: "city"},
				{Name: "notas", Aliases: []string{"notes", "observaciones"}, Kind: KindText, Column: "notes"},
				{Name: "fecha_registro", Aliases: []string{"created_at", "vinculado"}, Kind: KindDateTime, Column: "created_at", Past: true},
				{Name: "autorizacion_datos", Aliases: []string{"habeas_at", "autorizacion"}, Kind: KindBool, Column: "data_consent"},
			},
		},
		{
			Name: "pets", SourceType: "pet", BatchType: "pets", Report: 2,
			LabelES: "mascotas", LabelEN: "pets", OneES: "mascota", HeadingES: "Mascota", HeadingEN: "Pet",
			Command: "pets", ImportES: "Importa mascotas.", ImportEN: "Import pets.",
			Files: []string{"mascotas", "pets", "pacientes", "patients"},
			Table: "pets_pet", DependsOn: []string{"client"}, Title: []string{"nombre"},
			combine: (*normalizer).petExtras,
			Extra:   []DestColumn{{Name: "created_at", Now: true}, {Name: "updated_at", Now: true}},
			Fields: []Field{
				{Name: "id", Kind: KindID, Required: true},
				{Name: "id_cliente", Aliases: []string{"owner_id", "id_propietario"}, Kind: KindRef, Ref: "client", Required: true, Column: "owner_id"},
				{Name: "nombre", Aliases: []string{"name"}, Kind: KindName, Column: "name"},
				{Name: "especie", Aliases: []string{"specie", "species"}, Kind: KindSpecies, Column: "species"},
				{Name: "raza", Aliases: []string{"race", "breed"}, Kind: KindText, Column: "breed"},
				{Name: "sexo", Aliases: []string{"gender", "genero", "gender_id"}, Kind: KindSex, Column: "sex"},
				{Name: "fecha_nacimiento", Aliases: []string{"birth_at", "nacimiento", "birth_date"}, Kind: KindDate, Column: "birth_date", Past: true},
				{Name: "peso", Aliases: []string{"weight"}, Kind: KindWeight, Column: "weight"},
				{Name: "color", Kind: KindText, Column: "color"},
				{Name: "microchip", Aliases: []string{"code", "chip"}, Kind: KindMicrochip, Column: "microchip_number"},
				{Name: "esterilizado", Aliases: []string{"reproductive_state", "e_reproductivo", "sterilized"}, Kind: KindBool, Column: "is_sterilized"},
				{Name: "fallecido", Aliases: []string{"dead", "deceased"}, Kind: KindBool, Column: "is_deceased"},
				{Name: "notas", Aliases: []string{"notes", "observaciones"}, Kind: KindText, Column: "notes"},
				// Dump-only helpers, folded into the fields above by source.Normalize.
				{Name: "especie_otra", Aliases: []string{"specie_other", "otra_especie"}, Kind: KindText},
				{Name: "raza_otra", Aliases: []string{"race_other", "otra_raza"}, Kind: KindText},
				{Name: "unidad_peso", Aliases: []string{"weight_unit"}, Kind: KindText},
				{Name: "fecha_fallecimiento", Aliases: []string{"dead_at", "fecha_muerte"}, Kind: KindDate, Past: true},
			},
		},
		{
			Name: "medical", SourceType: "record", BatchType: "medical", Report: 3, CountPerParent: true,
			LabelES: "historias clínicas", LabelEN: "medical records", OneES: "historia clínica", HeadingES: "Historia clínica", HeadingEN: "Medical record",
			Command: "records", ImportES: "Importa historias clínicas.", ImportEN: "Import medical records.",
			Files: []string{"historia_clinica", "medical_history", "consultas", "consults", "historias"},
			Table: "medical_medicalrecord", DependsOn: []string{"pet"}, Title: []string{"fecha", "tipo", "descripcion"},
			Extra: []DestColumn{{Name: "created_at", Now: true}},
			Fields: []Field{
				{Name: "id", Kind: KindID, Required: true},
				{Name: "id_paciente", Aliases: []string{"pet_id", "id_mascota"}, Kind: KindRef, Ref: "pet", Required: true, Column: "pet_id"},
				{Name: "fecha", Aliases: []string{"consult_at", "date"}, Kind: KindDateTime, Column: "date", Past: true},
				{Name: "tipo", Aliases: []string{"type"}, Kind: KindText, Column: "record_type"},
				{Name: "descripcion", Aliases: []string{"anamnesis", "description"}, Kind: KindText, Column: "description"},
				{Name: "diagnostico", Aliases: []string{"final_diagnosis", "diagnosis"}, Kind: KindText, Column: "diagnosis"},
				{Name: "tratamiento", Aliases: []string{"treatment", "therapeutic_plan"}, Kind: KindText, Column: "treatment"},
				{Name: "notas", Aliases: []string{"notes", "observaciones"}, Kind: KindText, Column: "notes"},
				{Name: "id_veterinario", Aliases: []string{"vet_id"}, Kind: KindText, Column: "vet_external_id"},
			},
		},
		{
			Name: "vaccines", SourceType: "vaccine", BatchType: "vaccines", Report: 4, CountPerParent: true,
			LabelES: "vacunas", LabelEN: "vaccines", OneES: "vacuna", HeadingES: "Vacuna", HeadingEN: "Vaccination",
			Command: "vaccines", ImportES: "Importa vacunas.", ImportEN: "Import vaccinations.",
			Files: []string{"vacunas", "vaccines", "vacunaciones", "vaccinations"},
			Table: "medical_vaccinationrecord", DependsOn: []string{"pet"}, Title: []string{"fecha_aplicacion", "vacuna"},
			combine: (*normalizer).vaccineName,
			Extra:   []DestColumn{{Name: "created_at", Now: true}},
			Fields: []Field{
				{Name: "id", Kind: KindID, Required: true},
				{Name: "id_paciente", Aliases: []string{"pet_id", "id_mascota"}, Kind: KindRef, Ref: "pet", Required: true, Column: "pet_id"},
				{Name: "vacuna", Aliases: []string{"vaccine", "nombre_vacuna"}, Kind: KindText, Column: "vaccine_name"},
				// A dump names the vaccine only by catalogue id; the mapping file's
				// [vocabulary.vaccines] turns it into vacuna (see source.Normalize).
				{Name: "id_vacuna_catalogo", Aliases: []string{"vaccine_type_id"}, Kind: KindText},
				{Name: "fecha_aplicacion", Aliases: []string{"vaccine_at", "fecha"}, Kind: KindDate, Column: "date_given", Past: true},
				{Name: "fecha_proxima", Aliases: []string{"next_vaccine_at", "proxima"}, Kind: KindDate, Column: "next_due_date"},
				{Name: "lote", Aliases: []string{"lot"}, Kind: KindText, Column: "lot_number"},
				{Name: "laboratorio", Aliases: []string{"laboratory"}, Kind: KindText, Column: "manufacturer"},
				{Name: "id_veterinario", Aliases: []string{"vet_id"}, Kind: KindText, Column: "administered_by"},
			},
		},
		{
			Name: "products", SourceType: "product", BatchType: "products", Report: 8,
			LabelES: "productos", LabelEN: "products", OneES: "producto", HeadingES: "Producto", HeadingEN: "Product",
			Command: "products", ImportES: "Importa productos.", ImportEN: "Import products.",
			Files: []string{"productos", "products", "inventario", "inventory"},
			Table: "inventory_product", Merge: MergeSKU, Title: []string{"nombre"},
			Extra: []DestColumn{{Name: "created_at", Now: true}},
			Fields: []Field{
				{Name: "id", Kind: KindID, Required: true},
				{Name: "codigo", Aliases: []string{"ref", "sku", "code"}, Kind: KindText, Column: "sku"},
				{Name: "nombre", Aliases: []string{"name"}, Kind: KindText, Column: "name"},
				{Name: "categoria", Aliases: []string{"category", "grupo"}, Kind: KindText, Column: "category"},
				{Name: "tipo", Aliases: []string{"type"}, Kind: KindText, Column: "product_type"},
				{Name: "precio", Aliases: []string{"price", "p_v", "precio_venta"}, Kind: KindMoney, Column: "price", Amount: true},
				{Name: "costo", Aliases: []string{"cost"}, Kind: KindMoney, Column: "cost", Amount: true},
				{Name: "stock", Aliases: []string{"disponibles", "existencias"}, Kind: KindInt, Column: "stock", Amount: true},
				{Name: "unidad", Aliases: []string{"unit"}, Kind: KindText, Column: "unit"},
				{Name: "activo", Aliases: []string{"active"}, Kind: KindBool, Column: "is_active", Default: "true"},
			},
		},
		{
			Name: "appointments", SourceType: "appointment", BatchType: "appointments", Report: 5,
			LabelES: "citas", LabelEN: "appointments", OneES: "cita", HeadingES: "Cita", HeadingEN: "Appointment",
			Command: "appointments", ImportES: "Importa citas.", ImportEN: "Import appointments.",
			Files: []string{"citas", "appointments", "agenda"},
			Table: "appointments_appointment", DependsOn: []string{"pet", "client"}, Title: []string{"fecha", "hora", "motivo"},
			combine: (*normalizer).appointmentTimes,
			Extra:   []DestColumn{{Name: "created_at", Now: true}},
			Fields: []Field{
				{Name: "id", Kind: KindID, Required: true},
				{Name: "id_paciente", Aliases: []string{"pet_id", "id_mascota"}, Kind: KindRef, Ref: "pet", Required: true, Column: "pet_id"},
				{Name: "id_cliente", Aliases: []string{"owner_id", "id_propietario"}, Kind: KindRef, Ref: "client", Column: "owner_id", ViaParent: true},
				{Name: "fecha", Aliases: []string{"start", "date"}, Kind: KindDate, Column: "starts_at", Within: "starts_at"},
				{Name: "hora", Aliases: []string{"time"}, Kind: KindTime, Within: "starts_at", Default: "00:00:00"},
				// A dump's end timestamp; source.Normalize derives duracion from it.
				{Name: "fin", Aliases: []string{"end"}, Kind: KindDateTime},
				{Name: "duracion", Aliases: []string{"duration"}, Kind: KindInt, Column: "duration_minutes"},
				{Name: "motivo", Aliases: []string{"summary", "reason"}, Kind: KindText, Column: "reason"},
				{Name: "estado", Aliases: []string{"assistance", "status"}, Kind: KindStatus, Column: "status", Default: "scheduled"},
				{Name: "id_veterinario", Aliases: []string{"vet_id"}, Kind: KindText, Column: "vet_external_id"},
				{Name: "notas", Aliases: []string{"comments", "notes", "description"}, Kind: KindText, Column: "notes"},
			},
		},
		{
			Name: "invoices", SourceType: "invoice", BatchType: "invoices", Report: 6,
			LabelES: "facturas", LabelEN: "invoices", OneES: "factura", HeadingES: "Factura", HeadingEN: "Invoice",
			Command: "invoices", ImportES: "Importa facturas.", ImportEN: "Import invoices.",
			Files: []string{"facturas", "invoices", "ventas"},
			Table: "billing_invoice", DependsOn: []string{"client"}, Title: []string{"numero", "fecha", "total"}, ChainAll: true,
			Extra: []DestColumn{{Name: "created_at", Now: true}},
			Fields: []Field{
				{Name: "id", Kind: KindID, Required: true},
				{Name: "numero", Aliases: []string{"number", "consecutivo"}, Kind: KindText, Column: "number"},
				{Name: "id_cliente", Aliases: []string{"owner_id", "id_propietario"}, Kind: KindRef, Ref: "client", Required: true, Column: "owner_id"},
				{Name: "fecha", Aliases: []string{"date", "created_at"}, Kind: KindDate, Column: "issued_on", Past: true},
				{Name: "subtotal", Kind: KindMoney, Column: "subtotal", Amount: true},
				{Name: "descuento", Aliases: []string{"discount"}, Kind: KindMoney, Column: "discount", Amount: true},
				{Name: "impuesto", Aliases: []string{"tax", "iva", "impuestos"}, Kind: KindMoney, Column: "tax", Amount: true},
				{Name: "total", Kind: KindMoney, Column: "total", Amount: true},
				{Name: "estado", Aliases: []string{"status"}, Kind: KindText, Column: "status"},
				{Name: "forma_pago", Aliases: []string{"payment_method", "medio_pago"}, Kind: KindText, Column: "payment_method"},
				{Name: "notas", Aliases: []string{"notes", "observaciones"}, Kind: KindText, Column: "notes"},
			},
		},
		{
			Name: "invoice_items", SourceType: "invoice_item", BatchType: "invoice_items", Report: 7,
			LabelES: "ítems de factura", LabelEN: "invoice items", OneES: "ítem de factura", HeadingES: "Ítem de factura", HeadingEN: "Invoice item",
			Command: "invoice-items", ImportES: "Importa ítems de factura.", ImportEN: "Import invoice items.",
			Files: []string{"factura_items", "invoice_items", "facturas_items", "detalle_facturas"},
			Table: "billing_invoiceitem", DependsOn: []string{"invoice", "product"}, Title: []string{"descripcion", "total"},
			Extra: []DestColumn{{Name: "created_at", Now: true}},
			Fields: []Field{
				{Name: "id", Kind: KindID, Required: true},
				{Name: "id_factura", Aliases: []string{"invoice_id"}, Kind: KindRef, Ref: "invoice", Required: true, Column: "invoice_id"},
				{Name: "id_producto", Aliases: []string{"product_id"}, Kind: KindRef, Ref: "product", Column: "product_id"},
				{Name: "descripcion", Aliases: []string{"description", "concepto"}, Kind: KindText, Column: "description"},
				{Name: "cantidad", Aliases: []string{"quantity", "qty"}, Kind: KindDecimal, Column: "quantity", Amount: true},
				{Name: "precio_unitario", Aliases: []string{"unit_price", "valor_unitario"}, Kind: KindMoney, Column: "unit_price", Amount: true},
				{Name: "descuento", Aliases: []string{"discount"}, Kind: KindMoney, Column: "discount", Amount: true},
				{Name: "impuesto", Aliases: []string{"tax", "iva"}, Kind: KindMoney, Column: "tax", Amount: true},
				{Name: "total", Kind: KindMoney, Column: "total", Amount: true},
			},
		},
		{
			Name: "documents", SourceType: "document", BatchType: "documents", Report: 9,
			LabelES: "documentos", LabelEN: "documents", OneES: "documento", HeadingES: "Documento", HeadingEN: "Document",
			Command: "documents", ImportES: "Importa documentos y fotos adjuntos.", ImportEN: "Import documents and photos.",
			Files: []string{"documentos", "documents", "adjuntos", "attachments"},
			Table: "documents_document", DependsOn: []string{"pet", "client"}, Title: []string{"fecha", "tipo", "descripcion"},
			Extra: []DestColumn{{Name: "file"}, {Name: "size_bytes"}, {Name: "sha256"}, {Name: "uploaded_at", Now: true}},
			Fields: []Field{
				{Name: "id", Kind: KindID, Required: true},
				{Name: "id_paciente", Aliases: []string{"pet_id", "id_mascota"}, Kind: KindRef, Ref: "pet", Required: true, Column: "pet_id"},
				{Name: "id_cliente", Aliases: []string{"owner_id", "id_propietario"}, Kind: KindRef, Ref: "client", Column: "owner_id"},
				{Name: "archivo", Aliases: []string{"file", "path", "ruta"}, Kind: KindPath, Required: true, Column: "original_path"},
				{Name: "tipo", Aliases: []string{"type"}, Kind: KindText, Column: "document_type"},
				{Name: "descripcion", Aliases: []string{"description"}, Kind: KindText, Column: "description"},
				{Name: "fecha", Aliases: []string{"date", "created_at"}, Kind: KindDate, Column: "document_date", Past: true},
			},
		},
	}
}

// Label is the type's plural name in the language; unknown names pass through.
func Label(l i18n.Lang, name string) string {
	t, ok := TypeByName(name)
	if !ok {
		return name
	}
	return l.S(t.LabelES, t.LabelEN)
}

// TypeByName finds a type by its plural name, source type or batch type.
func TypeByName(name string) (Type, bool) {
	for _, t := range Types() {
		if t.Name == name || t.SourceType == name || t.BatchType == name {
			return t, true
		}
	}
	return Type{}, false
}

// TypeByCommand finds a type by the name recon import takes (Type.Command).
func TypeByCommand(command string) (Type, bool) {
	for _, t := range Types() {
		if t.Command == command {
			return t, true
		}
	}
	return Type{}, false
}

// ReportColumn is one column of a denormalised OkVet report: its header and
// the type and field it feeds.
type ReportColumn struct {
	Header string // as OkVet writes it; matched like any header (normalize.Fold)
	Type   string // Type.Name
	Field  string // Field.Name in that type
}

// MascotasReport lists OkVet's "Mascotas" report (title on row 1, headers
// on row 2). One row is a pet and its owner; the report has no ids, so
// source derives them (docs/okvet-format.md). "Contacto"/"TContacto" have no
// destination column and go to the owner's notes; "Actualizado" is not kept.
func MascotasReport() []ReportColumn {
	return []ReportColumn{
		{"Nombre", "pets", "nombre"},
		{"Especie", "pets", "especie"},
		{"Raza", "pets", "raza"},
		{"Peso", "pets", "peso"},
		{"Género", "pets", "sexo"},
		{"E.Reproductivo", "pets", "esterilizado"},
		{"Nacimiento", "pets", "fecha_nacimiento"},
		{"Color", "pets", "color"},
		{"Fallecido", "pets", "fallecido"},
		{"Nombres", "clients", "nombre"},
		{"TIdent", "clients", "tipo_documento"},
		{"Ident.", "clients", "documento"},
		{"Correo", "clients", "email"},
		{"Celular", "clients", "celular"},
		{"Teléfono", "clients", "telefono"},
		{"Dirección", "clients", "direccion"},
		{"Contacto", "clients", "notas"},
		{"TContacto", "clients", "notas"},
		{"Vinculado", "clients", "fecha_registro"},
		{"Actualizado", "", ""},
		{"Autorización", "clients", "autorizacion_datos"},
	}
}
